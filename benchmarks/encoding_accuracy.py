"""How often a legacy CSV's encoding is read right: petition-merge's scorer, charset-normalizer.

Run it from the repository root::

    python benchmarks/encoding_accuracy.py               # 300 files an encoding, seed 13
    python benchmarks/encoding_accuracy.py --files 1000 --seed 7

It writes invented signer lists (3 to 50 rows: German names mostly, some French, Spanish,
Nordic, Turkish; Polish and Czech ones in the Central European encodings) in each encoding a
volunteer's file may come in, and a second set of short files (3 to 8 rows) with only one or
two non-ASCII characters, the hard case. Every file is decoded by:

- ``scorer``: ``merge.read.delimited.decode_text``, as a run reads a CSV;
- ``charset-normalizer``: ``charset_normalizer.from_bytes(data, cp_isolation=...)`` limited to
  the same encodings (plus UTF-8 and UTF-16), when installed (``pip install charset-normalizer``);
- ``before``: what petition-merge did before: UTF-8, else Windows-1252 (Latin-1 for its gaps).

A file is read right when the decoded text equals the text that was encoded; the encoding's
name does not matter (German text reads the same in Windows-1252 and ISO-8859-15). For the
scorer, ``unsure`` counts the files it named as uncertain (right or wrong), ``silent`` the
wrong ones it did not: the failures a volunteer is not told about. Times are per file.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from merge.read.delimited import decode_text
from merge.read.encoding import CANDIDATES

WESTERN = ("cp1252", "iso-8859-1", "iso-8859-15", "cp850", "mac_roman")
CENTRAL = ("cp1250", "iso-8859-2")
ENCODINGS = (*WESTERN, *CENTRAL, "utf-16-le")


def words(text: str, separator: str | None = None) -> list[str]:
    return text.split(separator)


@dataclass(frozen=True)
class Names:
    """Invented signers' name parts: common given names and surnames, put together at random."""

    german_first: list[str]
    german_last: list[str]
    streets: list[str]
    towns: list[str]
    western_first: list[str]
    western_last: list[str]
    central_first: list[str]  # Polish, Czech, Slovak
    central_last: list[str]


# The names the scorer's rules were written against (the misreadings of these were looked at).
_FIRST = Names(
    german_first=words(
        "Jürgen Käthe Günter Jörg Björn Sören Bärbel Dörte Hans Anna Peter Lena Max Sabine Uwe "
        "Ute Jens Katrin Thomas Jörn Maik Lukas Mia Lea Paul Felix Jonas Grete Gerd Heinz "
        "Ingrid Renate Horst Elke Frauke Hannelore Rüdiger Wolfgang Dagmar Sönke Ümit Gülay"
    ),
    german_last=words(
        "Müller Schröder Weiß Böhm Krüger Köhler Groß Schäfer Bäcker Jäger Höfer Günther "
        "Schmidt Becker Wagner Hoffmann Braun Lange Öztürk Özdemir Strauß Süß Meißner Voß Fuß "
        "Kühn Löwe Hübner Schütz Möller Bürger Rößler Förster Gärtner Haßler Schulz Wolf "
        "Neumann Ähnlich Übel Ostermann Ölschläger Krämer Stöckl Dähne Pöhlmann Fröhlich Zöllner"
    ),
    streets=words(
        "Hauptstraße|Bahnhofstraße|Lindenweg|Am Mühlbach|Schloßallee|Gartenstraße|Kirchplatz|"
        "Römerweg|Birkenweg|Mühlenweg|Ährenfeld|Östliche Ringstraße|Waldstraße|Am Rübenacker|"
        "Kölner Straße|Lübecker Weg|Wiesengrund|Brückenstraße|Schulstraße|Ulmenallee|Großer Hof|"
        "Fährstraße|Marktplatz|Hügelweg|Dorfstraße|Königsallee|Am Bärenzwinger|Auf der Höhe",
        "|",
    ),
    towns=words(
        "Musterstadt|Köln|München|Lübeck|Görlitz|Düsseldorf|Fürth|Tübingen|Osnabrück|"
        "Würzburg|Jülich|Bad Säckingen|Frankfurt am Main|Berlin|Hamburg|Essen|Gößweinstein|"
        "Zürich|Öhringen|Erfundorf|Neustadt an der Weinstraße|Mölln|Bremen|Kiel",
        "|",
    ),
    western_first=words(
        "Zoë Hélène François Léa Chloé Noël René Jérôme Cécile Gaëlle Benoît Françoise José "
        "María Inés Jesús Begoña João Conceição Fátima Niccolò Giosuè Søren Bjørn Åsa Håkon "
        "Ægir Gül Yücel Anaïs Maëlle Raphaël Ólafur Íris"
    ),
    western_last=words(
        "Lefèvre Dubois Garçon Pâquet Bélanger Lemaître Núñez Peña Muñoz García Martínez "
        "Sánchez Ibáñez Gonçalves Simões Sjöberg Åström Jørgensen Çelik Gündüz Sönmez Cœur "
        "Brontë Égalité Hernández Pérez Rodríguez Castaño Østergaard"
    ),
    central_first=words(
        "Łukasz Krzysztof Małgorzata Żaneta Józef Grzegorz Łucja Paweł Michał Ewa Jędrzej "
        "Bożena Agnieszka Wojciech Zofia Stanisław Jolanta Bartłomiej Władysław Kazimierz "
        "Wiesław Jiří Petr Tomáš Lukáš Zdeněk Šárka Kateřina Věra Růžena Jan Jaroslav Miloš "
        "Božena Ľubica Dušan Ťoupal Ondřej Radek Hana Lenka Marek Václav"
    ),
    central_last=words(
        "Wąsik Wójcik Kowalczyk Zieliński Wiśniewski Dąbrowski Kaźmierczak Gęsicki Szczęsny "
        "Lewandowska Kamiński Woźniak Grabowski Pawłowski Michalak Król Jabłoński Nowakowska "
        "Ślusarczyk Świątek Źrebiec Żurek Łukaszewicz Ożóg Dvořák Novák Svoboda Černý "
        "Procházka Kučera Veselý Horák Němec Pokorný Šťastný Ďurica Kovář Růžička Marešová "
        "Čermák Hájek Jelínek Král Beneš Fiala Sedláček Zelený Kříž Szőke Bíró Kővári Győző"
    ),
)
_SECOND = Names(
    german_first=words(
        "Dörthe Götz Hüseyin Gönül Änne Lüder Jörgen Thöre Björg Söhnke Anneliese Gerlinde "
        "Waltraud Reinhold Henning Ole Malte Fritz Lütje Bärbel Jürn Hörst Käti"
    ),
    german_last=words(
        "Dürr Füller Gößmann Häusler Jünger Kämmerer Lösch Märtens Nüßlein Pfänder Rübsam "
        "Schüßler Tröger Völker Wöhler Zänker Bößler Fährmann Glöckner Hähnel Knöß Ströbel "
        "Weißenborn Bauer Fischer Weber Koch Klein Schwarz Öhler Übelacker Äppler"
    ),
    streets=words(
        "Am Gänseanger|Mühlgasse|Fröbelstraße|Rosenstraße|Am Lärchenwäldchen|Querstraße|"
        "Am Schöpfwerk|Kreuzstraße|Grüner Weg|Hüttenweg|Am Sägewerk|Bürgerpark|Dürerstraße|"
        "Lessingplatz|Ölmühlenweg|Über dem Tal|Äußere Gasse",
        "|",
    ),
    towns=words(
        "Würselen|Nürnberg|Bückeburg|Gütersloh|Lüneburg|Mönchengladbach|Völklingen|"
        "Überlingen|Passau|Rostock|Köthen|Füssen|Weißenfels|Bad Dürkheim|Öhrsen",
        "|",
    ),
    western_first=words(
        "Amélie Aurélien Gérard Héloïse Loïc Jérémie Thérèse Ángel Andrés Aitor Lucía Iñaki "
        "Gonçalo Inês Antônio Leonor Øystein Kåre Märta Ásgeir Mërgim Gëzim Agnès Josué "
        "Noémie Cédric Siân Eóin Maëva Célestin"
    ),
    western_last=words(
        "Bérard Chevènement Dupré Fabré Léger Mérieux Thévenet Cañizares Ordóñez Muñiz "
        "Valdés Gómez Brandão Magalhães Falcão Sørby Hæhre Lindstrøm Ångström Ülker Gökçe "
        "Mbappé Nuñes Beaulière Guðmundsdóttir Ó Súilleabháin"
    ),
    central_first=words(
        "Bożydar Dobrosław Jarosław Mieczysław Przemysław Radosław Wacław Zdzisław Ścibor "
        "Łucjan Ksenia Jadwiga Halina Urszula Dorota Elżbieta Grażyna Bořivoj Dalibor Jitka "
        "Libuše Miroslav Přemysl Radomír Svatopluk Vítězslav Zbyněk Zuzana Ľudovít Ján "
        "Mária Štefan Ivana Dagmar"
    ),
    central_last=words(
        "Bąk Ciećwierz Dziędziel Gąsior Jóźwiak Kłos Łęcki Mączka Nędza Ogłoza Pęczek Rączka "
        "Sędziak Tęcza Wróbel Zając Żmuda Śliwa Ćwikła Kuźniar Jaśkowiak Ryś Bárta Čapek "
        "Doležal Fořt Hrubý Chalupa Kořínek Lhoták Mráček Navrátil Pánek Říha Šimek Tůma "
        "Vávra Zedník Žáček Bartoš Holub Šebestová Ďuriš Ľupták Kőrösi Szűts Fülöp Vörös"
    ),
)
# The names the rules were written against: the misreadings of these were looked at.
TUNED = Names(
    *(
        first + second
        for first, second in zip(vars(_FIRST).values(), vars(_SECOND).values(), strict=True)
    )
)
# Names written after the rules were done and not looked at since, to see whether they hold
# for names they were not made on.
HELD_OUT = Names(
    german_first=words(
        "Brigitte Dieter Lothar Edeltraud Rosemarie Siegfried Ewald Hedwig Gundula Mareike "
        "Jannik Lasse Tjark Fenja Wiebke Jürgen Bärbel Sönke Görge Mörten Hauke Jöns Thies "
        "Kjell Nöle"
    ),
    german_last=words(
        "Bärwald Dölling Eßer Fleßner Gröning Hölscher Jöhnk Kötter Lührs Mäkelburg Nölke "
        "Pölitz Röver Sägebrecht Többen Völz Wübbena Zöphel Büttner Düwel Gräfe Hänsch Köster "
        "Lämmle Möbius Nüsslein Pröll Quäschning Rührig Schäuble Trübner Bauer Zimmermann"
    ),
    streets=words(
        "Am Fließ|Bäckergasse|Dörpstraat|Erlenhöhe|Fünfhausen|Gänsemarkt|Hölderlinweg|"
        "Im Brühl|Jägerstieg|Kämpenweg|Löwenplatz|Mönkhofer Weg|Nördliche Gasse|Ottostraße|"
        "Pfählstraße|Rüsternallee|Süderstraße|Theaterstraße|Unter den Rüstern|Weißdornweg",
        "|",
    ),
    towns=words(
        "Bünde|Dülmen|Emsbüren|Flöha|Gräfenhainichen|Höxter|Itzehoe|Jüterbog|Königswinter|"
        "Lößnitz|Münster|Nördlingen|Oebisfelde|Pößneck|Rüdesheim|Sömmerda|Tönning|Uelzen|"
        "Völpke|Wörth am Rhein",
        "|",
    ),
    western_first=words(
        "Adèle Anaëlle Béatrice Clément Désirée Élise Geneviève Inès Joël Léonie Maïté Océane "
        "Stéphane Zoé Álvaro Ramón Rocío Sebastián Joaquín Susana Fernão Cristóvão Mário "
        "Thalía Åke Björk Sigríður Ørjan Jesper Pål Bülent Özlem Dürdane Hüsnü Ilkay"
    ),
    western_last=words(
        "Aubé Bérubé Carrère Delacroix Fouché Géraud Hébert Jourdain Lévêque Ménard "
        "Pelletier Thériault Villeneuve Íñiguez Alcántara Bermúdez Echeverría Gutiérrez "
        "Jiménez Márquez Ramírez Vázquez Araújo Guimarães Loureiro Assunção Sæther Kvalvåg "
        "Bråten Hjørring Dahlström Nyström Çakmak Özkan Ünal Gürbüz Öcal"
    ),
    central_first=words(
        "Adrianna Bogumił Czesław Dariusz Feliks Gabriela Henryk Iwona Jacek Kamil Lucyna "
        "Mariusz Norbert Olga Renata Sławomir Tadeusz Wanda Zenon Anežka Blažej Čeněk "
        "Dobromila Eliška Františka Hynek Ignác Jindřich Kryštof Ludmila Matěj Nikola Otakar "
        "Stanislava Šimon Tereza Vojtěch Zdeňka Žofie Ľuboš Ondrej"
    ),
    central_last=words(
        "Adamczyk Błaszczyk Chmielewski Dudek Gałązka Górecki Jankowski Kaczmarek Kołodziej "
        "Kubiak Lis Majewski Mazur Nowicki Olszewski Przybylski Rutkowski Sadowski Sobczak "
        "Szymański Wasilewski Wróblewski Zawadzki Ziółkowski Żak Babák Bednář Čech Dušek "
        "Hanák Hruška Janoušek Kolář Křížek Liška Malý Mareš Nosek Pešek Polák Sýkora "
        "Šafránek Štěpánek Tichý Vacek Vlček Zajíc Žák Ďurčo Ľahký Hőgye Tőkés Bödör Pálffy"
    ),
)
ASCII_FIRST = words("Anna Peter Max Lena Paul Felix Jonas Lukas Mia Sabine Thomas Katrin Ute")
ASCII_LAST = words("Schmidt Becker Wagner Hoffmann Braun Lange Schulz Wolf Neumann Richter")
ASCII_STREETS = words("Lindenweg|Kirchplatz|Birkenweg|Wiesengrund|Marktplatz|Ulmenallee", "|")
ASCII_TOWNS = words("Musterstadt|Erfundorf|Berlin|Hamburg|Essen|Bremen|Kiel", "|")
HEADERS = (
    ["Name", "Vorname", "Straße", "PLZ", "Ort"],
    ["Nachname", "Vorname", "Strasse", "Hausnummer", "PLZ", "Ort"],
    ["Name", "Anschrift"],
    ["Vorname", "Name", "Straße und Hausnummer", "PLZ", "Wohnort", "Unterschrift"],
    ["Name", "Vorname", "Adresse", "E-Mail"],
)
ASCII_HEADERS = [header for header in HEADERS if all(cell.isascii() for cell in header)]


@dataclass(frozen=True)
class Sample:
    encoding: str
    hard: bool
    text: str
    data: bytes


def encodable(words: list[str], encoding: str) -> list[str]:
    codec = "utf-8" if encoding.startswith("utf") else encoding
    kept = []
    for word in words:
        try:
            word.encode(codec)
        except UnicodeEncodeError:
            continue
        kept.append(word)
    return kept


def make_pools(names: Names, encoding: str) -> dict[str, list[str]]:
    first = names.german_first * 3 + names.western_first + ASCII_FIRST * 2
    last = names.german_last * 3 + names.western_last + ASCII_LAST * 2
    if encoding in CENTRAL or encoding.startswith("utf"):
        # An Eastern European member's list: mostly their own people's names.
        first = names.german_first + names.central_first * 3 + ASCII_FIRST
        last = names.german_last + names.central_last * 3 + ASCII_LAST
    return {
        "first": encodable(first, encoding),
        "last": encodable(last, encoding),
        "street": encodable(names.streets * 2 + ASCII_STREETS, encoding),
        "town": encodable(names.towns * 2 + ASCII_TOWNS, encoding),
    }


def cells(header: list[str], pools: dict[str, list[str]], pick: random.Random) -> list[str]:
    first, last = pick.choice(pools["first"]), pick.choice(pools["last"])
    street = f"{pick.choice(pools['street'])} {pick.randint(1, 120)}"
    postcode, town = f"{pick.randint(1067, 99998):05d}", pick.choice(pools["town"])
    row = {
        "Name": last,
        "Nachname": last,
        "Vorname": first,
        "Straße": street,
        "Strasse": street.rsplit(" ", 1)[0],
        "Hausnummer": street.rsplit(" ", 1)[1],
        "Straße und Hausnummer": street,
        "PLZ": postcode,
        "Ort": town,
        "Wohnort": town,
        "Anschrift": f"{street}, {postcode} {town}",
        "Adresse": f"{street}, {postcode} {town}",
        "E-Mail": f"{pick.choice('abcdefghijklmnoprstuvw')}.{len(last)}@example.org",
        "Unterschrift": "",
    }
    if header[:2] == ["Name", "Anschrift"]:
        return [f"{first} {last}", row["Anschrift"]]
    return [row[column] for column in header]


def one_foreign(word_pool: list[str]) -> list[str]:
    """The words of the pool with exactly one non-ASCII character."""
    return [word for word in word_pool if sum(not char.isascii() for char in word) == 1]


def make_sample(names: Names, encoding: str, hard: bool, pick: random.Random) -> Sample:
    pools = make_pools(names, encoding)
    if hard:  # ASCII but one or two words with one non-ASCII character each
        header = pick.choice(ASCII_HEADERS)
        ascii_pools = {
            "first": ASCII_FIRST,
            "last": ASCII_LAST,
            "street": ASCII_STREETS,
            "town": ASCII_TOWNS,
        }
        rows = [cells(header, ascii_pools, pick) for _ in range(pick.randint(3, 8))]
        for _ in range(pick.randint(1, 2)):
            field = pick.choice(["first", "last", "street", "town"])
            candidates = one_foreign(pools[field]) or one_foreign(pools["last"])
            row = pick.choice(rows)
            column = pick.randrange(len(row))
            row[column] = pick.choice(candidates)
    else:
        header = pick.choice(HEADERS)
        rows = [cells(header, pools, pick) for _ in range(pick.randint(3, 50))]
    buffer = io.StringIO()
    newline = {"mac_roman": "\r"}.get(encoding, pick.choice(["\r\n", "\n"]))
    delimiter = pick.choice([";", ";", ",", "\t"])
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows([header, *rows])
    text = buffer.getvalue()
    return Sample(encoding, hard, text, text.encode(encoding))


def make_samples(names: Names, files: int, seed: int) -> list[Sample]:
    pick = random.Random(seed)
    samples = []
    for encoding in ENCODINGS:
        for hard in (False, True):
            samples.extend(make_sample(names, encoding, hard, pick) for _ in range(files))
    return [sample for sample in samples if not sample.data.isascii()]


@dataclass(frozen=True)
class Outcome:
    right: bool
    unsure: bool
    seconds: float


def by_scorer(data: bytes) -> tuple[str, bool]:
    notes: list[str] = []
    text = decode_text(data, "x.csv", notes.append)
    return text, any("not certain" in note for note in notes)


def by_charset_normalizer() -> Callable[[bytes], tuple[str, bool]] | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    isolation = ["utf_8", "utf_16", "utf_16_le", *(encoding.codec for encoding in CANDIDATES)]

    def decode(data: bytes) -> tuple[str, bool]:
        best = from_bytes(data, cp_isolation=isolation).best()
        return ("" if best is None else str(best)), False

    return decode


def before(data: bytes) -> tuple[str, bool]:
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), False
    except UnicodeDecodeError:
        return data.decode("latin-1"), False


def measure(approach: Callable[[bytes], tuple[str, bool]], samples: list[Sample]) -> list[Outcome]:
    outcomes = []
    for sample in samples:
        start = time.perf_counter()
        text, unsure = approach(sample.data)
        seconds = time.perf_counter() - start
        outcomes.append(Outcome(text == sample.text, unsure, seconds))
    return outcomes


def percent(count: int, total: int) -> str:
    return f"{100 * count / total:5.1f}" if total else "    -"


def report(samples: list[Sample], results: dict[str, list[Outcome]]) -> None:
    for hard in (False, True):
        title = "short files, 1-2 non-ASCII characters" if hard else "files of 3-50 rows"
        print(f"\n{title}: % read right (scorer: % unsure, % wrong without a word)")
        names = list(results)
        print(f"{'encoding':<12} {'files':>5}  " + "  ".join(f"{name:>18}" for name in names))
        groups: dict[str, list[int]] = defaultdict(list)
        for index, sample in enumerate(samples):
            if sample.hard == hard:
                groups[sample.encoding].append(index)
        groups["legacy"] = [  # the single-byte encodings, where a detector has to guess
            index for encoding in (*WESTERN, *CENTRAL) for index in groups[encoding]
        ]
        for encoding, indexes in groups.items():
            columns = []
            for name in names:
                outcomes = [results[name][index] for index in indexes]
                right = sum(outcome.right for outcome in outcomes)
                cell = percent(right, len(outcomes))
                if name == "scorer":
                    unsure = sum(outcome.unsure for outcome in outcomes)
                    silent = sum(not o.right and not o.unsure for o in outcomes)
                    cell += f" ({percent(unsure, len(outcomes))},{percent(silent, len(outcomes))})"
                columns.append(f"{cell:>18}")
            print(f"{encoding:<12} {len(indexes):>5}  " + "  ".join(columns))
    print("\ntime per file, ms: median / mean / max")
    for name, outcomes in results.items():
        times = [outcome.seconds * 1000 for outcome in outcomes]
        print(
            f"{name:<18} {statistics.median(times):8.3f} {statistics.mean(times):8.3f}"
            f" {max(times):8.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300, help="files per encoding and kind")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--show-wrong", type=int, default=0, help="print N misread files")
    parser.add_argument(
        "--names",
        choices=["tuned", "held-out"],
        default="held-out",
        help="the names the scorer's rules were written on, or names written after them",
    )
    args = parser.parse_args()
    names = TUNED if args.names == "tuned" else HELD_OUT
    samples = make_samples(names, args.files, args.seed)
    approaches: dict[str, Callable[[bytes], tuple[str, bool]]] = {"scorer": by_scorer}
    normalizer = by_charset_normalizer()
    if normalizer is None:
        print("charset-normalizer is not installed: its column is left out")
    else:
        approaches["charset-normalizer"] = normalizer
    approaches["before"] = before
    results = {name: measure(approach, samples) for name, approach in approaches.items()}
    report(samples, results)
    shown = 0
    for sample, outcome in zip(samples, results["scorer"], strict=True):
        if not outcome.right and shown < args.show_wrong:
            shown += 1
            text, _ = by_scorer(sample.data)
            wrong = [(a, b) for a, b in zip(sample.text.split(), text.split(), strict=False)]
            print(sample.encoding, outcome.unsure, [pair for pair in wrong if pair[0] != pair[1]])


if __name__ == "__main__":
    main()
