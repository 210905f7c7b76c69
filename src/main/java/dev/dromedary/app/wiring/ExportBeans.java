package dev.dromedary.app.wiring;

import dev.dromedary.analysis.DatasetAggregation;
import dev.dromedary.analysis.DatasetStatistics;
import dev.dromedary.analysis.JobReportPage;
import dev.dromedary.analysis.JobReports;
import dev.dromedary.analysis.StatisticsReport;
import dev.dromedary.app.Settings;
import dev.dromedary.exports.CsvExport;

/** What reads the landed rows back out: CSV exports to S3, aggregations, a dataset's statistics, and the reports of jobs. */
public record ExportBeans(DatasetAggregation aggregation) {

    public static ExportBeans bind(Wiring wiring, ServiceBeans services, JobBeans jobs, ImportBeans imports) {
        Settings settings = wiring.settings();
        String uploadPrefix = settings.text("S3_UPLOAD_FILE_PATH_PRIFIX");
        wiring.bind("csvExport", new CsvExport(services.datasets(), services.elasticsearch(), services.elasticsearchRestClient(),
                jobs.jobStore(), services.s3(), settings.text("S3_BUCKET"), imports.buckets(), uploadPrefix,
                settings.integer("MAX_REDELIVERIES"), settings.bool("EXPORT_ESCAPE_FORMULAS")));
        wiring.bind("datasetStatistics", new DatasetStatistics(services.datasets(), services.elasticsearchRestClient(),
                services.dataSource(), jobs.json(), uploadPrefix));
        wiring.bind("statisticsReport", new StatisticsReport());
        DatasetAggregation aggregation = wiring.bind("datasetAggregation", new DatasetAggregation(services.datasets(), services.dataSource(), services.s3(),
                settings.text("S3_BUCKET"), settings.text("AGGREGATE_TABLE_PREFIX")));
        wiring.bind("jobReports", new JobReports(jobs.jobStore(), services.dataSource()));
        wiring.bind("jobReportPage", new JobReportPage(jobs.json()));
        return new ExportBeans(aggregation);
    }
}
