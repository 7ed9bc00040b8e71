"""SYNTHETIC KoboToolbox and ODK Central exports of minewatch's own forms.

Every person, place, code and ID below is invented for the tests. The files are laid out as
the servers lay them out (column names, separators, split geopoints, repeat sheets and files,
API envelopes), so the importer is tested against the real shapes without real data.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook

#: Synthetic personal data: it must never appear in anything minewatch publishes.
VICTIM_NAMES = ("Zorbalina Quxworth", "Fennimore Blixtrand")
VICTIM_CONTACT = "+000-555-0199-synthetic"
VICTIM_MEDICAL = "synthetic-medical-note-left-foot"

ACCIDENT_OK = "uuid:0c5e9f2a-1111-4aaa-8bbb-000000000001"
ACCIDENT_BAD_SEX = "uuid:0c5e9f2a-1111-4aaa-8bbb-000000000002"
ACCIDENT_BAD_POINT = "uuid:0c5e9f2a-1111-4aaa-8bbb-000000000003"

#: The places and the area the forms below name, by code prefix: every code a record names
#: must exist, so a store receiving these exports holds them (:func:`add_named_places`).
NAMED_PLACES = {"LOC": ("LOC-000003", "LOC-000010"), "HA": ("HA-000001",)}


def add_named_places(store: Any) -> None:
    """Synthetic location and hazardous-area items for :data:`NAMED_PLACES` in ``store``;
    its sequences move past them, so a test's own items get the next codes."""
    from shapely import box

    from minewatch.domain.records import HazardousArea, Location

    store.next_codes("LOC", 10)
    store.next_codes("HA", 1)
    store.put_items([Location(code=c, name=f"Synthetic place {c}") for c in NAMED_PLACES["LOC"]])
    area = box(30, 50, 30.001, 50.001)
    store.put_items(
        [
            HazardousArea(code=c, name=f"Synthetic area {c}", geometry=area)
            for c in NAMED_PLACES["HA"]
        ]
    )


def _kobo_geo(lat: float, lon: float) -> dict[str, Any]:
    return {"lat": lat, "lon": lon, "alt": 152.0, "acc": 4.5}


# -- KoboToolbox XLSX: the accident form, victims on their own sheet ------------------------------

KOBO_MAIN_HEADER = [
    "start",
    "end",
    "today",
    "accident/accident_date",
    "accident/organisation_code",
    "accident/location_code",
    "accident/accident_location",
    "_accident/accident_location_latitude",
    "_accident/accident_location_longitude",
    "_accident/accident_location_altitude",
    "_accident/accident_location_precision",
    "accident/device_category",
    "accident/hazardous_area_code",
    "accident/during_demining",
    "accident/description",
    "meta/instanceID",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
]
KOBO_VICTIM_HEADER = [
    "victims/victim_type",
    "victims/victim_sex",
    "victims/victim_age",
    "victims/victim_outcome",
    "victims/victim_activity",
    "victims/victim_name",
    "victims/victim_contact",
    "victims/victim_medical",
    "_index",
    "_parent_table_name",
    "_parent_index",
    "_submission__id",
    "_submission__uuid",
    "_submission__submission_time",
]


def _kobo_accident_row(index: int, instance: str, lat: Any, lon: Any, date: str) -> list[Any]:
    geo = f"{lat} {lon} 152.0 4.5"
    return [
        f"{date}T08:01:02.000+03:00",
        f"{date}T08:20:00.000+03:00",
        date,
        date,
        "ORG-000002",
        "LOC-000010",
        geo,
        lat,
        lon,
        152.0,
        4.5,
        "ap_mine",
        "HA-000001",
        "no",
        "Synthetic: a farmer stepped on a mine while ploughing.",
        instance,
        1000 + index,
        instance.removeprefix("uuid:"),
        f"{date}T09:00:00",
        "",
        "",
        "submitted_via_web",
        "",
        "vX1",
        "",
        index,
    ]


def kobo_accident_xlsx(folder: Path) -> Path:
    """Three accidents: one good with two victims, one with an unknown sex, one bad point."""
    wb = Workbook()
    main = wb.active
    assert main is not None
    main.title = "Explosive ordnance accident a"  # Kobo truncates the title to 31 characters
    main.append(KOBO_MAIN_HEADER)
    main.append(_kobo_accident_row(1, ACCIDENT_OK, 50.4501, 30.5234, "2024-05-01"))
    main.append(_kobo_accident_row(2, ACCIDENT_BAD_SEX, 50.46, 30.53, "2024-05-02"))
    main.append(_kobo_accident_row(3, ACCIDENT_BAD_POINT, 95.0, 30.53, "2024-05-03"))
    victims = wb.create_sheet("victims")
    victims.append(KOBO_VICTIM_HEADER)
    victims.append(
        [
            "civilian",
            "male",
            41,
            "injured",
            "ploughing",
            VICTIM_NAMES[0],
            VICTIM_CONTACT,
            VICTIM_MEDICAL,
            1,
            "Explosive ordnance accident a",
            1,
            1001,
            ACCIDENT_OK.removeprefix("uuid:"),
            "2024-05-01T09:00:00",
        ]
    )
    victims.append(
        [
            "civilian",
            "female",
            12,
            "killed",
            "herding",
            VICTIM_NAMES[1],
            "",
            "",
            2,
            "Explosive ordnance accident a",
            1,
            1001,
            ACCIDENT_OK.removeprefix("uuid:"),
            "2024-05-01T09:00:00",
        ]
    )
    victims.append(
        [
            "civilian",
            "alien",
            30,
            "injured",
            "",
            "Synthetic Person Three",
            "",
            "",
            3,
            "Explosive ordnance accident a",
            2,
            1002,
            ACCIDENT_BAD_SEX.removeprefix("uuid:"),
            "2024-05-02T09:00:00",
        ]
    )
    path = folder / "kobo_accident.xlsx"
    wb.save(path)
    return path


# -- ODK Central CSV zip: the same accident form -------------------------------------------------

ODK_SYSTEM = [
    "KEY",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
]


def _csv(rows: list[list[Any]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def odk_accident_zip(folder: Path) -> Path:
    header = [
        "SubmissionDate",
        "start",
        "end",
        "today",
        "accident-accident_date",
        "accident-organisation_code",
        "accident-location_code",
        "accident-accident_location-Latitude",
        "accident-accident_location-Longitude",
        "accident-accident_location-Altitude",
        "accident-accident_location-Accuracy",
        "accident-device_category",
        "accident-hazardous_area_code",
        "accident-during_demining",
        "accident-description",
        "meta-instanceID",
        *ODK_SYSTEM,
    ]

    def row(instance: str, lat: str, lon: str, date: str) -> list[Any]:
        return [
            f"{date}T09:00:00.000Z",
            f"{date}T08:01:02.000+03:00",
            f"{date}T08:20:00.000+03:00",
            date,
            date,
            "ORG-000002",
            "LOC-000010",
            lat,
            lon,
            "152",
            "4.5",
            "ap_mine",
            "",
            "yes",
            "Synthetic: deminer injured during clearance.",
            instance,
            instance,
            "5",
            "Synthetic Enumerator",
            "0",
            "0",
            "",
            "",
            "",
            "0",
            "2026112401",
        ]

    main = [
        header,
        row(ACCIDENT_OK, "50.4501", "30.5234", "2024-05-01"),
        row(ACCIDENT_BAD_SEX, "50.46", "30.53", "2024-05-02"),
        row(ACCIDENT_BAD_POINT, "fifty", "30.53", "2024-05-03"),
    ]
    victims = [
        [
            "victim_type",
            "victim_sex",
            "victim_age",
            "victim_outcome",
            "victim_activity",
            "victim_name",
            "victim_contact",
            "victim_medical",
            "PARENT_KEY",
            "KEY",
        ],
        [
            "deminer",
            "male",
            "33",
            "injured",
            "clearance",
            VICTIM_NAMES[0],
            VICTIM_CONTACT,
            VICTIM_MEDICAL,
            ACCIDENT_OK,
            f"{ACCIDENT_OK}/victims[1]",
        ],
        [
            "deminer",
            "female",
            "29",
            "injured",
            "clearance",
            VICTIM_NAMES[1],
            "",
            "",
            ACCIDENT_OK,
            f"{ACCIDENT_OK}/victims[2]",
        ],
        [
            "civilian",
            "alien",
            "",
            "injured",
            "",
            "",
            "",
            "",
            ACCIDENT_BAD_SEX,
            f"{ACCIDENT_BAD_SEX}/victims[1]",
        ],
    ]
    path = folder / "minewatch_accident.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("minewatch_accident.csv", _csv(main))
        zf.writestr("minewatch_accident-victims.csv", _csv(victims))
        zf.writestr("media/1714550000000.jpg", b"synthetic jpeg bytes")
    return path


# -- KoboToolbox CSV: the hazardous area form, ';'-separated, one-hot select_multiple -------------

HA_KOBO_1 = "uuid:7a1d3c55-2222-4ccc-9ddd-000000000001"
HA_KOBO_2 = "uuid:7a1d3c55-2222-4ccc-9ddd-000000000002"
#: lat lon alt acc; … — latitude first, closed ring, as Collect stores a geoshape.
HA_SHAPE = (
    "50.40 30.50 100 5;50.40 30.51 100 5;50.41 30.51 100 5;50.41 30.50 100 5;50.40 30.50 100 5"
)


def kobo_hazard_csv(folder: Path) -> Path:
    header = [
        "start",
        "end",
        "survey/survey_date",
        "survey/organisation_code",
        "survey/location_code",
        "survey/area_name",
        "survey/classification",
        "survey/hazard_types",
        "survey/hazard_types/ap_mines",
        "survey/hazard_types/av_mines",
        "survey/hazard_types/uxo_axo",
        "boundary/boundary_method",
        "boundary/area",
        "boundary/perimeter_walk",
        "boundary/reported_area_m2",
        "blockages",
        "beneficiaries/girls",
        "beneficiaries/boys",
        "beneficiaries/women",
        "beneficiaries/men",
        "description",
        "sketch_map",
        "sketch_map_URL",
        "meta/instanceID",
        "_id",
        "_uuid",
        "_submission_time",
        "_index",
    ]
    walk = "50.42 30.52 0 3;50.42 30.53 0 3;50.43 30.53 0 3;50.43 30.52 0 3"
    rows = [
        header,
        [
            "2024-03-01T07:00:00",
            "2024-03-01T07:40:00",
            "2024-03-01",
            "ORG-000001",
            "LOC-000003",
            "Synthetic North Field",
            "SHA",
            "ap_mines uxo_axo",
            "1",
            "0",
            "1",
            "shape",
            HA_SHAPE,
            "",
            "12000",
            "agriculture road",
            "3",
            "4",
            "5",
            "6",
            "Synthetic description.",
            "sketch-1.jpg",
            "https://kf.example.org/media/original?media_file=synthetic%2Fsketch-1.jpg",
            HA_KOBO_1,
            "2001",
            HA_KOBO_1.removeprefix("uuid:"),
            "2024-03-01T08:00:00",
            "1",
        ],
        [
            "2024-03-02T07:00:00",
            "2024-03-02T07:40:00",
            "2024-03-02",
            "ORG-000001",
            "",
            "Synthetic walked area",
            "CHA",
            "",
            "0",
            "1",
            "0",
            "walk",
            "",
            walk,
            "",
            "",
            "0",
            "0",
            "0",
            "0",
            "",
            "",
            "",
            HA_KOBO_2,
            "2002",
            HA_KOBO_2.removeprefix("uuid:"),
            "2024-03-02T08:00:00",
            "2",
        ],
    ]
    path = folder / "kobo_hazard.csv"
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


# -- ODK Central OData JSON ($expand=*): the hazardous area form with evidence -------------------

HA_ODK = "uuid:3f6e2b11-3333-4eee-8fff-000000000001"


def odk_hazard_odata(folder: Path) -> Path:
    submission = {
        "__id": HA_ODK,
        "__system": {
            "submissionDate": "2024-04-10T10:00:00.000Z",
            "submitterId": "7",
            "submitterName": "Synthetic Surveyor",
            "attachmentsPresent": 1,
            "attachmentsExpected": 1,
            "status": None,
            "reviewState": None,
            "deviceId": None,
            "edits": 0,
            "formVersion": "2026112401",
        },
        "meta": {"instanceID": HA_ODK},
        "start": "2024-04-10T07:00:00.000+03:00",
        "end": "2024-04-10T07:30:00.000+03:00",
        "survey": {
            "survey_date": "2024-04-10",
            "organisation_code": "ORG-000004",
            "location_code": None,
            "area_name": "Synthetic River Bank",
            "classification": "CHA",
            "hazard_types": "av_mines",
        },
        "boundary": {
            "boundary_method": "shape",
            "area": {
                "type": "Polygon",
                "coordinates": [
                    [[30.60, 50.30, 90], [30.61, 50.30, 90], [30.61, 50.31, 90], [30.60, 50.30, 90]]
                ],
                "properties": {"accuracies": [3, 3, 3, 3]},
            },
            "perimeter_walk": None,
            "reported_area_m2": 5000,
        },
        "evidence@odata.navigationLink": f"Submissions('{HA_ODK}')/evidence",
        "evidence": [
            {
                "__id": "e1",
                "evidence_type": "eo_seen",
                "evidence_source": "seen",
                "evidence_note": "Synthetic: fuze visible",
                "evidence_photo": "ev1.jpg",
                "evidence_location": {"type": "Point", "coordinates": [30.605, 50.305, 90]},
            },
            {
                "__id": "e2",
                "evidence_type": "accident",
                "evidence_source": "told",
                "evidence_note": None,
                "evidence_photo": None,
                "evidence_location": None,
            },
        ],
        "blockages": "water",
        "beneficiaries": {"girls": 1, "boys": 2, "women": 3, "men": 4},
        "description": None,
        "sketch_map": None,
    }
    path = folder / "odk_hazard.json"
    path.write_text(
        json.dumps({"@odata.context": "synthetic/$metadata#Submissions", "value": [submission]}),
        encoding="utf-8",
    )
    return path


# -- KoboToolbox API v2 JSON: the completion form with products and finds ------------------------

COMPLETION_ID = "uuid:9d2c4e77-4444-4aaa-9bbb-000000000001"


def kobo_completion_json(folder: Path) -> Path:
    product = (
        "50.200 30.100 0 2;50.200 30.102 0 2;50.202 30.102 0 2;50.202 30.100 0 2;50.200 30.100 0 2"
    )
    result = {
        "_id": 3001,
        "formhub/uuid": "synthetic0formhub",
        "start": "2024-06-30T07:00:00.000+03:00",
        "end": "2024-06-30T08:00:00.000+03:00",
        "task/activity_type": "clearance",
        "task/method": "manual",
        "task/hazardous_area_code": "HA-000001",
        "task/organisation_code": "ORG-000002",
        "task/start_date": "2024-05-01",
        "task/end_date": "2024-06-30",
        "worksite": product,
        "products": [
            {
                "products/product_type": "cleared",
                "products/product_area": product,
                "products/product_area_m2": "48000",
            },
        ],
        "finds": [
            {
                "finds/find_category": "ap_mine",
                "finds/find_model": "PMN-2",
                "finds/find_quantity": "2",
                "finds/find_condition": "live",
                "finds/find_disposal": "destroyed_in_situ",
                "finds/find_location": "50.201 30.101 0 3",
                "finds/find_photo": "find-1.jpg",
            },
        ],
        "__version__": "vSynthetic",
        "meta/instanceID": COMPLETION_ID,
        "_xform_id_string": "minewatch_completion",
        "_uuid": COMPLETION_ID.removeprefix("uuid:"),
        "_attachments": [
            {
                "download_url": "https://kf.example.org/api/v2/assets/aSynthetic/data/3001/attachments/1/",
                "mimetype": "image/jpeg",
                "filename": "synthetic_user/attachments/formhub0/uuid0/find-1.jpg",
                "question_xpath": "finds[1]/find_photo",
                "id": 1,
            },
        ],
        "_status": "submitted_via_web",
        "_geolocation": [None, None],
        "_submission_time": "2024-06-30T06:00:00",
        "_tags": [],
        "_notes": [],
        "_validation_status": {},
        "_submitted_by": None,
    }
    path = folder / "kobo_completion.json"
    path.write_text(
        json.dumps({"count": 1, "next": None, "previous": None, "results": [result]}),
        encoding="utf-8",
    )
    return path


# -- KoboToolbox CSV, default "labels" export, with an HXL hashtag row ----------------------------

ACCIDENT_LABELS = "uuid:0c5e9f2a-1111-4aaa-8bbb-000000000010"


def kobo_accident_labels_csv(folder: Path) -> Path:
    header = [
        "start",
        "end",
        "Accident/Date of the accident",
        "Accident/Reporting organisation code",
        "Accident/Accident location",
        "Accident/_Accident location_latitude",
        "Accident/_Accident location_longitude",
        "Accident/Type of device",
        "Accident/Did it happen during demining?",
        "_id",
        "_uuid",
        "_submission_time",
        "_index",
    ]
    hxl = ["", "", "#date", "#org", "", "#geo+lat", "#geo+lon", "", "", "", "", "", ""]
    row = [
        "2024-07-01T08:00:00.000+03:00",
        "2024-07-01T08:10:00.000+03:00",
        "2024-07-01",
        "ORG-000005",
        "47.1 37.5 0 5",
        "47.1",
        "37.5",
        "Anti-vehicle mine",
        "Yes",
        "4001",
        ACCIDENT_LABELS.removeprefix("uuid:"),
        "2024-07-01T09:00:00",
        "1",
    ]
    path = folder / "kobo_accident_labels.csv"
    out = io.StringIO()
    csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(
        [header, hxl, row]
    )
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


# -- XForm submission instances, as ODK Collect stores them -------------------------------------


def xml_accident_instances(folder: Path) -> Path:
    target = folder / "instances"
    target.mkdir(exist_ok=True)
    two = f"""<?xml version='1.0' encoding='UTF-8' ?>
<data id="minewatch_accident" version="2026112401" xmlns:orx="http://openrosa.org/xforms">
<accident><accident_date>2024-08-01</accident_date><organisation_code>ORG-000002</organisation_code>
<accident_location>48.5 35.1 120 4</accident_location><during_demining>no</during_demining></accident>
<victims><victim_type>civilian</victim_type><victim_sex>male</victim_sex><victim_outcome>killed</victim_outcome>
<victim_name>{VICTIM_NAMES[0]}</victim_name></victims>
<victims><victim_type>civilian</victim_type><victim_sex>female</victim_sex><victim_outcome>injured</victim_outcome></victims>
<orx:meta><orx:instanceID>uuid:0c5e9f2a-1111-4aaa-8bbb-000000000020</orx:instanceID></orx:meta></data>"""
    one = """<?xml version='1.0' encoding='UTF-8' ?>
<data id="minewatch_accident"><accident><accident_date>2024-08-02</accident_date>
<organisation_code>ORG-000002</organisation_code><accident_location>48.6 35.2 0 0</accident_location>
<during_demining>yes</during_demining></accident>
<victims><victim_type>deminer</victim_type><victim_sex>male</victim_sex><victim_outcome>injured</victim_outcome></victims>
<meta><instanceID>uuid:0c5e9f2a-1111-4aaa-8bbb-000000000021</instanceID></meta></data>"""
    (target / "a.xml").write_text(two, encoding="utf-8")
    (target / "b.xml").write_text(one, encoding="utf-8")
    return target


# -- A programme's own XLSForm (two languages) and its labels export -----------------------------


def programme_xlsform(folder: Path) -> Path:
    wb = Workbook()
    survey = wb.active
    assert survey is not None
    survey.title = "survey"
    for row in [
        ["type", "name", "label::English (en)", "label::Français (fr)", "required"],
        ["date", "date_acc", "Date of accident", "Date de l'accident", "yes"],
        ["text", "org", "Operator", "Opérateur", ""],
        ["geopoint", "gps", "GPS", "GPS", "yes"],
        ["select_one dev", "device", "Device", "Engin", ""],
        ["begin_repeat", "casualty", "Casualty", "Victime", ""],
        ["select_one sx", "sex", "Sex of casualty", "Sexe", ""],
        ["integer", "age", "Age", "Âge", ""],
        ["select_one res", "outcome", "Result", "Résultat", ""],
        ["end_repeat", "casualty", "", "", ""],
    ]:
        survey.append(row)
    choices = wb.create_sheet("choices")
    for row in [
        ["list_name", "name", "label::English (en)", "label::Français (fr)"],
        ["dev", "AP", "Anti-personnel mine", "Mine antipersonnel"],
        ["dev", "AT", "Anti-tank mine", "Mine antichar"],
        ["sx", "F", "Female", "Femme"],
        ["sx", "M", "Male", "Homme"],
        ["res", "killed", "Killed", "Tué"],
        ["res", "injured", "Injured", "Blessé"],
    ]:
        choices.append(row)
    settings = wb.create_sheet("settings")
    settings.append(["form_title", "form_id", "default_language"])
    settings.append(["NMAC accident report (synthetic)", "nmac_accident", "English (en)"])
    path = folder / "nmac_accident.xlsx"
    wb.save(path)
    return path


def programme_labels_xlsx(folder: Path) -> Path:
    """Kobo's labels export of the programme form, in French."""
    wb = Workbook()
    main = wb.active
    assert main is not None
    main.title = "NMAC accident report (synthet"
    main.append(
        [
            "Date de l'accident",
            "Opérateur",
            "GPS",
            "_GPS_latitude",
            "_GPS_longitude",
            "Engin",
            "_id",
            "_uuid",
            "_submission_time",
            "_index",
        ]
    )
    main.append(
        [
            "2024-09-09",
            "ORG-000007",
            "46.2 38.3 0 3",
            46.2,
            38.3,
            "Mine antichar",
            5001,
            "9a9a9a9a-5555-4555-8555-000000000001",
            "2024-09-09T10:00:00",
            1,
        ]
    )
    sheet = wb.create_sheet("Victime")
    sheet.append(
        [
            "Sexe",
            "Âge",
            "Résultat",
            "_index",
            "_parent_table_name",
            "_parent_index",
            "_submission__uuid",
        ]
    )
    sheet.append(
        [
            "Femme",
            9,
            "Blessé",
            1,
            "NMAC accident report (synthet",
            1,
            "9a9a9a9a-5555-4555-8555-000000000001",
        ]
    )
    path = folder / "nmac_labels.xlsx"
    wb.save(path)
    return path


def kobo_hazard_upload(
    organisation: str, instances: list[str], bad: tuple[str, ...] = ()
) -> tuple[str, bytes]:
    """(file name, bytes) of a small Kobo CSV export of the hazardous area form, as a browser
    would upload it: one shaped area per instance ID, each a little east of the last; those in
    ``bad`` carry an unknown classification, which the import rejects."""
    header = [
        "survey/survey_date",
        "survey/organisation_code",
        "survey/area_name",
        "survey/classification",
        "survey/hazard_types",
        "boundary/boundary_method",
        "boundary/area",
        "meta/instanceID",
        "_uuid",
        "_index",
    ]
    rows: list[list[Any]] = [header]
    for i, instance in enumerate(instances):
        x = 30.50 + 0.02 * i
        ring = [(50.40, x), (50.40, x + 0.01), (50.41, x + 0.01), (50.41, x), (50.40, x)]
        shape = ";".join(f"{lat:.4f} {lon:.4f} 0 5" for lat, lon in ring)
        rows.append(
            [
                "2024-03-01",
                organisation,
                f"Synthetic uploaded area {i + 1}",
                "XYZ" if instance in bad else "SHA",
                "ap_mines",
                "shape",
                shape,
                instance,
                instance.removeprefix("uuid:"),
                i + 1,
            ]
        )
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    return "minewatch_hazardous_area_2024.csv", out.getvalue().encode()


def hazard_areas_geojson(areas: list[tuple[str, str]], west: float = 30.0) -> bytes:
    """A GeoJSON FeatureCollection of small synthetic hazardous areas, one per (name, status),
    side by side from longitude ``west`` at 50° N, with ids ``F0``, ``F1``… in ``fid``: a
    geodata file as a browser would upload it."""
    features = []
    for i, (name, status) in enumerate(areas):
        x = west + i / 50
        ring = [[x, 50.0], [x + 0.01, 50.0], [x + 0.01, 50.01], [x, 50.01], [x, 50.0]]
        features.append(
            {
                "type": "Feature",
                "properties": {"fid": f"F{i}", "name": name, "status": status},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()
