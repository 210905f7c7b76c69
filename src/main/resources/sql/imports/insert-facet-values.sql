INSERT INTO filters_data (dataset, facet, value) VALUES (:#dataset, :#facet, :#value) ON CONFLICT DO NOTHING
