-- The job that holds a watch
SELECT running_job FROM watches WHERE name = :watch
