/*
 * fuzz_readers.c — libFuzzer harness for every XML reader: the input is read
 * as an instance (native, KML or GML, with GIS field mapping), as a
 * scenario, and as a solution over a fixed small instance; when it is a
 * valid instance it is also evaluated and validated.  Any crash, leak or
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

static void as_instance(const char *data, size_t size)
{
    cp_scenario sc;
    cp_error err;
    cp_warnings w = {0, 0, NULL};
    cp_instance *inst;
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    if (size > (1 << 20))
        return 0;
    as_instance(text, size);
    as_scenario(text, size);
    as_solution(text, size);
    return 0;
}
