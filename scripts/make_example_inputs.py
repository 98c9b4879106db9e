"""Write the invented example signer lists in inputs/ (run from the repository root).

Every name, street and town here is made up. The files show what petition-merge copes
with: a title row above the header, a postcode stored as a number, one sheet per event,
a multi-line address cell, a Windows-1252 CSV with semicolons, one duplicate (spelled
"Mueller" once and "Müller" once) and one row without an address. The paper form typed in
("Formular Kirchentag") has the headers such forms have: a running number "Nr." beside
streets with house numbers, "Vor- und Zuname", "Straße + Hausnr.", "Adresszusatz",
"PLZ/Ort" and "Ort, Datum" (where it was signed, not the signer's town); it holds a
person already on the market list and a four-digit postcode. The form responses
(umfrage-formular.csv, as Google Forms downloads them: UTF-8, commas) have questions for
headers, one-line addresses, an Austrian signer and one address without postcode or town.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from openpyxl import Workbook

INPUTS = Path("inputs")

MARKET = [
    ("Müller", "Johanna", "Lindenweg", "4", "12345", "Musterstadt"),
    ("Schäfer", "Lukas", "Ahornallee", "17a", "12345", "Musterstadt"),
    ("Özdemir", "Elif", "Am Mühlbach", "3", "12347", "Musterstadt"),
    ("Weißgerber", "Friedrich", "Gartenstraße", "21", "12349", "Beispielhausen"),
    ("Krüger", "Anna-Lena", "Birkenhof", "1", "23456", "Neu-Erfundenheim"),
    ("Böhm", "Tobias", "Kirchplatz", "9", 1067, "Erfundorf"),
    ("Jäger", "Marie", "Schulstraße", "12", "12345", "Musterstadt"),
    ("Nguyen", "Thi Mai", "Bahnhofstraße", "88", "12345", "Musterstadt"),
    ("Hoffmann", "Jörg", "Eichenweg", "5", "34567", "Dichtersdorf"),
    ("Fuchs", "Sophie", "Am Anger", "2", "34567", "Dichtersdorf"),
    ("Lehmann", "Paul", "", "", "", ""),
    ("Schröder", "Greta", "Tulpenstraße", "30", "45678", "Fabelheim"),
    ("Wagner", "Emil", "Hauptstraße", "101", "45678", "Fabelheim"),
]

SERVICE = [
    ("Mueller, Johanna", "Lindenweg 4\n12345 Musterstadt"),
    ("Meier, Theresa", "Kapellenweg 3\n12345 Musterstadt"),
    ("Meier, Georg", "Kapellenweg 3\n12345 Musterstadt"),
    ("Albrecht, Ruth", "Pfarrgasse 8\n23456 Neu-Erfundenheim"),
    ("Haas, Benedikt", "Am Glockenturm 1\n23456 Neu-Erfundenheim"),
    ("Engel, Miriam", "Sonnenhang 22\n34567 Dichtersdorf"),
    ("Roth, Samuel", "Talstraße 5\n34567 Dichtersdorf"),
    ("Sommer, Lea", "Wiesengrund 9\n45678 Fabelheim"),
    ("Winkler, Ansgar", "Klosterweg 13\n45678 Fabelheim"),
    ("Kühn, Ida", "Marktplatz 6\n56789 Ideenbrück"),
    ("Graf, Vincent", "Obere Straße 31\n56789 Ideenbrück"),
    ("Lorenz, Edith", "Untere Gasse 2\n67890 Sagenroda"),
]

ONLINE = [
    ("Arslan", "Yusuf", "Fliederweg 7", "12345", "Musterstadt", "Deutschland"),
    ("Bauer", "Käthe", "Steinweg 15", "23456", "Neu-Erfundenheim", "Deutschland"),
    ("Chen", "Li", "Kastanienallee 3", "34567", "Dichtersdorf", "Deutschland"),
    ("Nováková", "Zdenka", "Seestraße 44", "45678", "Fabelheim", "Deutschland"),
    ("Ebert", "Maximilian", "Grüner Weg 1", "56789", "Ideenbrück", "Deutschland"),
    ("Frank", "Noémie", "Rue des Exemples 12", "1234", "Exempleville", "Belgien"),
    ("Gärtner", "Bruno", "Am Hang 8", "67890", "Sagenroda", "Deutschland"),
    ("Heinrich", "Luise", "Dorfstraße 27", "12347", "Musterstadt", "Deutschland"),
    ("Iwanowa", "Darja", "Uferweg 5", "12349", "Beispielhausen", "Deutschland"),
    ("Jung", "Mats", "Lindenplatz 2", "12345", "Musterstadt", "Deutschland"),
]


FORM = [
    ("Ronja Beispielmann", "Quellenweg 3", "", "12345 Musterstadt"),
    ("Kemal Erfunden", "Nelkenstraße 10", "c/o Familie Probe", "23456 Neu-Erfundenheim"),
    ("Ilse Musterfrau", "Am Teich 7", "", "34567 Dichtersdorf"),
    ("Greta Schröder", "Tulpenstraße 30", "", "45678 Fabelheim"),  # on the market list too
    ("Aaron Fiktiv", "Hohlweg 2", "", "45678 Fabelheim"),
    ("Tilda Erdacht", "Ringstraße 4", "", "5678 Ideenbrück"),  # a digit short
]

RESPONSES = [
    ("Ben", "Ausgedacht", "Weidenweg 12, 56789 Ideenbrück", "Deutschland"),
    ("Mira", "Erfundene", "Dammweg 3, 67890 Sagenroda", "Deutschland"),
    ("Lorenz", "Beispielhuber", "Probegasse 5, 1010 Wien", "Österreich"),
    ("Nele", "Vorlage", "Lerchenweg 11", "Deutschland"),  # no postcode or town
]


def main() -> None:
    workbook = Workbook()
    market = workbook.active
    market.title = "Infostand Markt"
    market.append(["Unterschriften Infostand Wochenmarkt, 14.11.2026"])
    market.append([])
    market.append(
        ["Name", "Vorname", "Straße", "Hausnummer", "PLZ", "Ort", "E-Mail", "Unterschrift"]
    )
    for row in MARKET:
        market.append([*row, "", "ja"])
    service = workbook.create_sheet("Gottesdienst")
    service.append(["Name, Vorname", "Anschrift", "Datum"])
    for name, address in SERVICE:
        service.append([name, address, dt.date(2026, 11, 22)])
    form = workbook.create_sheet("Formular Kirchentag")
    form.append(["Unterschriftenliste Kirchentag"])
    form.append(["Nr.", "Vor- und Zuname", "Straße + Hausnr.", "Adresszusatz", "PLZ/Ort",
                 "Ort, Datum", "Unterschrift"])  # fmt: skip
    for number, (name, street, extra, town) in enumerate(FORM, start=1):
        form.append([number, name, street, extra, town, "Musterstadt, 29.11.2026", "ja"])
    workbook.save(INPUTS / "infostand-und-gottesdienst.xlsx")

    questions = ["Zeitstempel", "E-Mail-Adresse", "Wie ist dein Vorname?",
                 "Wie lautet dein Nachname?", "Wie lautet deine Anschrift?",
                 "In welchem Land wohnst du?"]  # fmt: skip
    answers = [[f"2026/11/26 18:{10 + n}:05 MEZ", "", *row] for n, row in enumerate(RESPONSES)]
    with (INPUTS / "umfrage-formular.csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([questions, *answers])

    lines = ["Nachname;Vorname;Adresse;PLZ;Ort;Land"]
    lines += [";".join(row) for row in ONLINE]
    (INPUTS / "online-anmeldungen.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


if __name__ == "__main__":
    main()
