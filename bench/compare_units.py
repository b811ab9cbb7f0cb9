#!/usr/bin/env python3
"""Per admin unit (county/district/zone of the Kenya GML), compares two
solutions of the zone-rule benchmark: schools placed and travel.  Usage:
compare_units.py KENYA.gml HEURISTIC.xml REFERENCE.xml"""
import collections, re, sys

def zones(gml):
    text = open(gml, encoding="utf-8").read()
    pat = re.compile(r"<ogr:school_id>([^<]*)</ogr:school_id>.*?<ogr:county>([^<]*)</ogr:county>"
                     r"\s*<ogr:district>([^<]*)</ogr:district>\s*<ogr:zone>([^<]*)</ogr:zone>", re.S)
    return {m.group(1): m.group(2, 3, 4) for m in pat.finditer(text)}

def per_unit(path, zone):
    cost, placed = collections.defaultdict(float), collections.Counter()
    for m in re.finditer(r'<member school="([^"]*)" distance="([^"]*)"', open(path).read()):
        z = zone[m.group(1)]
        cost[z] += float(m.group(2))
        placed[z] += 1
    return cost, placed

def main():
    zone = zones(sys.argv[1])
    hc, hp = per_unit(sys.argv[2], zone)
    rc, rp = per_unit(sys.argv[3], zone)
    units = set(hc) | set(rc)
    same = better = worse = 0
    for z in units:
        if hp[z] != rp[z]:
            better += hp[z] > rp[z]
            worse += hp[z] < rp[z]
        elif abs(hc[z] - rc[z]) <= 1e-6 * max(1.0, rc[z]):
            same += 1
        elif hc[z] < rc[z]:
            better += 1
        else:
            worse += 1
    print("units %d: heuristic equal %d, better %d, worse %d; equal or better %.1f%%"
          % (len(units), same, better, worse, 100.0 * (same + better) / max(1, len(units))))

main()
