#!/usr/bin/env python3
"""Writes the hand-written validation cases (cases/*.json, each a mutation of a published sample) and the errors that
Python jsonschema (Draft4Validator with its format checker) reports for every (schema, instance) pair listed below, to
jsonschema-results.json. Socle's own validator is tested against this file (tests/Batteries.Tests/SchemaValidatorTests.cs).

Run from this folder: python3 make_validation_reference.py   (jsonschema 4.26, rfc3339-validator for date-time)."""
import copy, json, importlib.metadata
from jsonschema import Draft4Validator

SCHEMAS = "../schemas/"

def load(path):
    raw = open(path, "rb").read()
    text = raw[2:].decode("utf-16-le") if raw[:2] == b"\xff\xfe" else raw.decode("utf-8-sig")
    return json.loads(text)

def sample(name):
    return load(SCHEMAS + name)

def mutate(name, *edits):
    doc = copy.deepcopy(sample(name))
    for edit in edits:
        edit(doc)
    return doc

def setp(path, value):
    def edit(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return edit

def delp(path):
    def edit(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return edit

GPI = "batterypass-1.2/GeneralProductInformation-payload.json"
CIRC = "batterypass-1.2/Circularity.json"
LAB = "batterypass-1.2/Labeling-payload.json"
MAT = "batterypass-1.2/MaterialComposition-payload.json"
CF = "batterypass-1.2/CarbonFootprintForBatteries-payload.json"
CX = "catenax-battery_pass-6.1.0/BatteryPass.json"

CASES = {
    "gpi-category-not-in-enum": mutate(GPI, setp(["batteryCategory"], "car")),
    "gpi-manufacturer-missing": mutate(GPI, delp(["manufacturerInformation"])),
    "gpi-mass-as-string": mutate(GPI, setp(["batteryMass"], "699")),
    "gpi-date-time-month-13": mutate(GPI, setp(["manufacturingDate"], "2025-13-01T00:00:00Z")),
    "gpi-passport-id-uppercase": mutate(GPI, setp(["batteryPassportIdentifier"], "urn:BMWK:1")),
    "gpi-warranty-without-dashes": mutate(GPI, setp(["warrentyPeriod"], "06")),
    "gpi-real-email": mutate(GPI, setp(["manufacturerInformation", "emailAddress"], "contact@example.com")),
    "gpi-nested-required": mutate(GPI, delp(["operatorInformation", "postalAddress", "postalCode"])),
    "circularity-share-above-100": mutate(CIRC, setp(["recycledContent", 0, "preConsumerShare"], 120)),
    "circularity-share-negative": mutate(CIRC, setp(["recycledContent", 0, "postConsumerShare"], -0.5)),
    "circularity-share-exactly-100": mutate(CIRC, setp(["recycledContent", 0, "postConsumerShare"], 100)),
    "circularity-material-copper": mutate(CIRC, setp(["recycledContent", 0, "recycledMaterial"], "Copper")),
    "circularity-bad-supplier-email": mutate(CIRC, setp(["sparePartSources", 0, "emailAddressOfSupplier"], "not an email")),
    "circularity-agents-not-array": mutate(CIRC, setp(["safetyMeasures", "extinguishingAgent"], "water")),
    "labels-subject-unknown": mutate(LAB, setp(["labels", 0, "labelingSubject"], "Recyclable")),
    "labels-not-array": mutate(LAB, setp(["labels"], {"labelingSubject": "SeparateCollection"})),
    "material-cas-fixed": mutate(MAT, setp(["batteryMaterials", 0, "batteryMaterialIdentifier"], "7439-93-2")),
    "material-critical-as-string": mutate(MAT, setp(["batteryMaterials", 0, "batteryMaterialIdentifier"], "7439-93-2"),
                                          setp(["batteryMaterials", 0, "isCriticalRawMaterial"], "yes")),
    "carbon-footprint-stage-unknown": mutate(CF, setp(["carbonFootprintPerLifecycleStage", 0, "lifecycleStage"], "Use")),
    "catenax-category-unknown": mutate(CX, setp(["identification", "category"], "car")),
    "catenax-passport-id-not-uuid": mutate(CX, setp(["metadata", "passportIdentifier"], "urn:socle:abc")),
    "catenax-recycled-above-100": mutate(CX, setp(["materials", "active", "nickel", "recycled"], 101)),
    "catenax-duplicate-serial": mutate(CX, lambda d: d["identification"]["identification"].__setitem__(
        "serial", [d["identification"]["identification"]["serial"][0]] * 2)),
    "catenax-header-too-long": mutate(CX, setp(["safety", "safetyMeasures", 0, "header"], "h" * 101)),
    "catenax-bpnl-short": mutate(CX, setp(["operation", "manufacturer", "manufacturer"], "BPNL0123")),
    "catenax-footprint-negative": mutate(CX, setp(["sustainability", "carbonFootprint", 0, "value"], -1)),
}

PAIRS = [
    # published samples against their own schemas (and the two Performance versions crossed)
    ("batterypass-1.2/GeneralProductInformation-schema.json", GPI),
    ("batterypass-1.2/CarbonFootprintForBatteries-schema.json", CF),
    ("batterypass-1.2/SupplyChainDueDiligence-schema.json", "batterypass-1.2/SupplyChainDueDiligence-payload.json"),
    ("batterypass-1.2/MaterialComposition-schema.json", MAT),
    ("batterypass-1.2/Circularity-schema.json", CIRC),
    ("batterypass-1.2/Labeling-schema.json", LAB),
    ("batterypass-1.2/PerformanceAndDurability.schema", "batterypass-1.2/PerformanceAndDurability.json"),
    ("batterypass-1.2/PerformanceAndDurability-schema.json", "batterypass-1.2/PerformanceAndDurability-payload.json"),
    ("batterypass-1.2/PerformanceAndDurability.schema", "batterypass-1.2/PerformanceAndDurability-payload.json"),
    ("batterypass-1.2/PerformanceAndDurability-schema.json", "batterypass-1.2/PerformanceAndDurability.json"),
    ("catenax-battery_pass-6.1.0/BatteryPass-schema.json", CX),
]
SCHEMA_OF = {
    "gpi": "batterypass-1.2/GeneralProductInformation-schema.json",
    "circularity": "batterypass-1.2/Circularity-schema.json",
    "labels": "batterypass-1.2/Labeling-schema.json",
    "material": "batterypass-1.2/MaterialComposition-schema.json",
    "carbon": "batterypass-1.2/CarbonFootprintForBatteries-schema.json",
    "catenax": "catenax-battery_pass-6.1.0/BatteryPass-schema.json",
}

results = []
def run(schema_path, instance_path, instance):
    validator = Draft4Validator(load(SCHEMAS + schema_path), format_checker=Draft4Validator.FORMAT_CHECKER)
    errors = sorted({(e.json_path, e.validator) for e in validator.iter_errors(instance)})
    results.append({"schema": schema_path, "instance": instance_path,
                    "errors": [{"path": p, "keyword": k} for p, k in errors]})

for schema_path, instance_path in PAIRS:
    run(schema_path, "schemas/" + instance_path, load(SCHEMAS + instance_path))
for name, doc in CASES.items():
    path = f"cases/{name}.json"
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")
    run(SCHEMA_OF[name.split("-")[0]], "reference/" + path, doc)

with open("jsonschema-results.json", "w", encoding="utf-8") as f:
    json.dump({"tool": "python-jsonschema " + importlib.metadata.version("jsonschema") + " Draft4Validator, FORMAT_CHECKER (date-time, email; uri not checked)",
               "results": results}, f, indent=2)
    f.write("\n")
print(f"{len(results)} results written")
