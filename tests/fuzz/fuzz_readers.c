/*
 * fuzz_readers.c — libFuzzer harness for every XML reader: the input is read
 * as a native instance (GIS layers go to GDAL, which is not ours to fuzz:
 * such inputs are skipped, see native_xml), as a
 * scenario, as a solution over a fixed small instance, as candidates
 * (ranked with a fixed rubric), as a rubric (ranking fixed candidates, with
 * its quotas), as a published ranking and as a study; when it is a valid instance it is
 * also evaluated and validated.  Any crash, leak or
 * sanitizer report is a bug; errors are the expected outcome.
 */
#include "clusterplan.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static const char base_instance[] =
    "<instance distance=\"euclidean\"><school id=\"A\" x=\"0\" y=\"0\" cluster=\"K\"/>"
    "<school id=\"B\" x=\"1\" y=\"0\" cluster=\"K\"/><school id=\"C\" x=\"2\" y=\"0\"/>"
    "</instance>";

/* The same test as the reader's sniff, loosely: XML whose root is not a GIS
 * format's.  Anything else would be read by GDAL. */
static int native_xml(const char *data, size_t size)
{
    static const char *const gis[] = {"<kml", "FeatureCollection", "<gpx", "<osm", NULL};
    size_t k = 0;
    int g;
    while (k < size && (data[k] == ' ' || data[k] == '\n' || data[k] == '\r' || data[k] == '\t'))
        k++;
    if (k >= size || data[k] != '<')
        return 0;
    for (g = 0; gis[g]; g++) {
        size_t n = strlen(gis[g]), j;
        for (j = 0; j + n <= size && j < 4096; j++)
            if (!memcmp(data + j, gis[g], n))
                return 0;
    }
    return 1;
}

static void as_instance(const char *data, size_t size)
{
    cp_scenario sc;
    cp_error err;
    cp_warnings w = {0, 0, NULL};
    cp_instance *inst;
    if (!native_xml(data, size))
        return;
    cp_scenario_defaults(&sc);
    cp_scenario_map_field(&sc, "id=code", &err);
    cp_scenario_map_field(&sc, "teachers=TSC", &err);
    inst = cp_read_instance_memory(data, size, "fuzz", &sc, &w, &err);
    if (inst && inst->n_schools < 2000) {
        cp_warnings errors = {0, 0, NULL};
        cp_distance_ctx *d = cp_distance_new(inst, &err);
        cp_layout *lay = cp_layout_existing(inst, 0, &w, &err);
        cp_evaluation *ev = d && lay ? cp_evaluate(inst, &sc, lay, d, &err) : NULL;
        cp_validate_instance(inst, &sc, &errors, &w);
        cp_evaluation_free(ev);
        cp_layout_free(lay);
        cp_distance_free(d);
        cp_warnings_free(&errors);
    }
    cp_instance_free(inst);
    cp_warnings_free(&w);
    cp_scenario_clear(&sc);
}

static void as_scenario(const char *data, size_t size)
{
    cp_scenario sc;
    cp_error err;
    cp_scenario_defaults(&sc);
    cp_read_scenario_memory(data, size, "fuzz", &sc, &err);
    cp_scenario_clear(&sc);
}

static void as_solution(const char *data, size_t size)
{
    cp_error err;
    cp_instance *inst =
        cp_read_instance_memory(base_instance, sizeof base_instance - 1, "base", NULL, NULL, &err);
    cp_layout *lay = inst ? cp_read_solution_memory(data, size, "fuzz", inst, &err) : NULL;
    if (lay) {
        cp_scenario sc;
        cp_distance_ctx *d = cp_distance_new(inst, &err);
        cp_scenario_defaults(&sc);
        cp_evaluation_free(d ? cp_evaluate(inst, &sc, lay, d, &err) : NULL);
        cp_distance_free(d);
    }
    cp_layout_free(lay);
    cp_instance_free(inst);
}

static const char fixed_rubric[] =
    "<rubric><criterion id=\"w\" max=\"100\" weight=\"40\" combine=\"trimmed-mean\"/>"
    "<points attribute=\"education\"><value is=\"diploma\" points=\"0\"/>"
    "<value is=\"degree\" points=\"5\"/></points>"
    "<points attribute=\"experience-years\" per-unit=\"1\" max=\"5\"/>"
    "<require attribute=\"education\" at-least=\"degree\"/>"
    "<require attribute=\"education\" at-least=\"diploma\" gender=\"female\"/>"
    "<role name=\"lead\" min-percentile=\"50\"/><tie-break order=\"w id\"/></rubric>";
static const char fixed_candidates[] =
    "<candidates><candidate id=\"A\" gender=\"female\" region=\"R\" school=\"S\">"
    "<score criterion=\"w\" value=\"50\"/></candidate>"
    "<candidate id=\"B\" gender=\"male\" region=\"Q\" school=\"S\" education=\"degree\">"
    "<score criterion=\"w\" value=\"70\" rater=\"x\"/></candidate></candidates>";

static void rank_pair(const char *candidates, size_t c_len, const char *rubric, size_t r_len)
{
    cp_error err;
    cp_candidate_set *set = cp_read_candidates_memory(candidates, c_len, "c", &err);
    cp_rubric *rub = set ? cp_read_rubric_memory(rubric, r_len, "r", &err) : NULL;
    cp_ranking *r = rub && set->n < 200 ? cp_rank(set, rub, &err) : NULL;
    cp_ranking_free(r);
    cp_rubric_free(rub);
    cp_candidate_set_free(set);
}

static void as_facilitator_files(const char *data, size_t size)
{
    cp_error err;
    rank_pair(data, size, fixed_rubric, sizeof fixed_rubric - 1);
    rank_pair(fixed_candidates, sizeof fixed_candidates - 1, data, size);
    cp_published_ranking_free(cp_read_ranking_memory(data, size, "fuzz", &err));
    cp_study_free(cp_read_study_memory(data, size, "fuzz", &err));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    if (size > (1 << 20))
        return 0;
    as_instance(text, size);
    as_scenario(text, size);
    as_solution(text, size);
    as_facilitator_files(text, size);
    return 0;
}
