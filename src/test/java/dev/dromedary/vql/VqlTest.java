package dev.dromedary.vql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.datasets.Datasets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VqlTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Datasets datasets;

    @BeforeAll
    static void loadDatasets() throws Exception {
        datasets = Datasets.load(List.of(Path.of("datasets")), "");
    }

    @Test
    void theGuidesCompanyExampleBecomesABoolQuerySortedByUuid() throws Exception {
        ExportPlan plan = plan("company", """
                {"where": {"keyword_match": {"must": {"industries": ["Software", "SaaS"], "country": ["USA"]}},
                           "range_query": {"must": {"employees_count": {"gte": 50, "lte": 1000},
                                                    "annual_revenue": {"gte": 1000000}}}},
                 "select_columns": ["id", "name", "employees_count", "annual_revenue", "industries", "country", "website"],
                 "order_by": [{"order_by": "uuid", "order_direction": "desc"}],
                 "limit": 500}""");

        assertThat(JSON.writeValueAsString(plan.query())).isEqualTo("{\"bool\":{\"filter\":["
                + "{\"terms\":{\"industries\":[\"Software\",\"SaaS\"]}},{\"terms\":{\"country\":[\"USA\"]}},"
                + "{\"range\":{\"employees_count\":{\"gte\":50,\"lte\":1000}}},"
                + "{\"range\":{\"annual_revenue\":{\"gte\":1000000}}}],\"must_not\":[]}}");
        assertThat(JSON.writeValueAsString(plan.sort())).isEqualTo("[{\"uuid\":{\"order\":\"desc\"}}]");
        assertThat(plan.headers()).containsExactly("id", "name", "employees_count", "annual_revenue", "industries",
                "country", "website");
        assertThat(plan.columns().get(0).name()).isEqualTo("uuid");
        assertThat(plan.pageSize()).isEqualTo(500);
    }

    @Test
    void mustNotClausesExcludeAndTextColumnsMatchOnTheirKeywordField() throws Exception {
        ExportPlan plan = plan("contact", """
                {"where": {"keyword_match": {"must_not": {"first_name": ["Ada"]}},
                           "range_query": {"must_not": {"created_at": {"lt": "2020-01-01"}}}},
                 "select_columns": ["email"], "order_by": [{"order_by": "last_name"}]}""");

        assertThat(JSON.writeValueAsString(plan.query())).isEqualTo("{\"bool\":{\"filter\":[],\"must_not\":["
                + "{\"terms\":{\"first_name.keyword\":[\"Ada\"]}},{\"range\":{\"created_at\":{\"lt\":\"2020-01-01\"}}}]}}");
        assertThat(JSON.writeValueAsString(plan.sort()))
                .isEqualTo("[{\"last_name.keyword\":{\"order\":\"asc\"}},{\"uuid\":{\"order\":\"asc\"}}]");
        assertThat(plan.pageSize()).isEqualTo(Vql.DEFAULT_PAGE_SIZE);
    }

    @Test
    void withoutSelectColumnsTheGuidesErrorIsGiven() {
        for (String vql : List.of("{}", "{\"select_columns\": []}", "{\"where\": {}}", "null")) {
            assertThatThrownBy(() -> plan("contact", vql)).isInstanceOf(VqlError.class).hasMessage(Vql.MISSING_SELECT_COLUMNS);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"select_columns\": [\"shoe_size\"]} | ERR_UNKNOWN_FIELD: select_columns names 'shoe_size', which is not a column of contact",
            "{\"select_columns\": [\"email\"], \"where\": {\"keyword_match\": {\"must\": {\"planet\": [\"Mars\"]}}}} | ERR_UNKNOWN_FIELD: where.keyword_match.must names 'planet'",
            "{\"select_columns\": [\"email\"], \"where\": {\"range_query\": {\"must\": {\"country\": {\"gte\": 1}}}}} | ERR_INVALID_VQL: where.range_query.must.country: a range needs a number or date column, and country is keyword",
            "{\"select_columns\": [\"email\"], \"where\": {\"range_query\": {\"must\": {\"employees_count\": {\"gte\": \"many\"}}}}} | ERR_INVALID_VQL: where.range_query.must.employees_count.gte must be a number",
            "{\"select_columns\": [\"email\"], \"where\": {\"range_query\": {\"must\": {\"employees_count\": {\"above\": 1}}}}} | ERR_INVALID_VQL: where.range_query.must.employees_count has 'above'",
            "{\"select_columns\": [\"email\"], \"where\": {\"keyword_match\": {\"must\": {\"country\": \"USA\"}}}} | ERR_INVALID_VQL: where.keyword_match.must.country must be a list of values",
            "{\"select_columns\": [\"email\"], \"where\": \"country = USA\"} | ERR_INVALID_VQL: where must be an object",
            "{\"select_columns\": [\"email\"], \"order_by\": [{\"order_by\": \"age\"}]} | ERR_UNKNOWN_FIELD: order_by names 'age'",
            "{\"select_columns\": [\"email\"], \"order_by\": [{\"order_by\": \"email\", \"order_direction\": \"up\"}]} | ERR_INVALID_VQL: order_by.email: order_direction is asc or desc",
            "{\"select_columns\": [\"email\"], \"limit\": 0} | ERR_INVALID_VQL: limit is the page size",
            "{\"select_columns\": [\"email\"], \"filter\": {}} | ERR_INVALID_VQL: vql has 'filter'"})
    void aQueryThatCannotRunSaysWhichFieldIsAtFault(String vql, String error) {
        assertThatThrownBy(() -> plan("contact", vql)).isInstanceOf(VqlError.class).hasMessageStartingWith(error.strip());
    }

    @Test
    void thePageSizeIsCapped() throws Exception {
        assertThat(plan("contact", "{\"select_columns\": [\"email\"], \"limit\": 1000000}").pageSize())
                .isEqualTo(Vql.MAX_PAGE_SIZE);
    }

    private static ExportPlan plan(String dataset, String vql) throws Exception {
        JsonNode node = JSON.readTree(vql);
        return Vql.plan(node, datasets.get(dataset));
    }
}
