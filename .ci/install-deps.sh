#!/bin/sh
# Installs what clusterplan needs to build and test on Debian (bookworm or
# later): compiler, make, pkg-config, GLPK, libxml2, cmocka; glpk-utils for
# the benchmarks' glpsol reference; libgdal-dev (GDAL/OGR with PROJ and GEOS: every GIS
# format and CRS, in and out); clang for the libFuzzer harness; gdal-bin
# (ogrinfo reads every GIS output in the tests) and chromium (renders the
# HTML report in `make check`); libjs-leaflet (the report's interactive map,
# compiled into the program at build time); slurm-wlm (slurmctld, slurmd and the
# sbatch/squeue/scancel clients) and munge, for the single-node Slurm that
# tests/slurm_check.sh starts to run a study with `batch --slurm`.  Uses sudo
# when not run as root.
set -e
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
    build-essential pkg-config libglpk-dev glpk-utils libxml2-dev libxml2-utils libcmocka-dev libgdal-dev \
    clang bc gdal-bin chromium libjs-leaflet slurm-wlm munge >/dev/null
echo "dependencies installed"
