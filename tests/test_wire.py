"""Unit tests for the wire-copy parser, on small texts written for these tests."""

import pytest

from articles.core.limits import HEADLINE_MAX_LENGTH
from articles.interchange.wire import (
    MAX_INPUT_BYTES,
    Block,
    Byline,
    LeadImage,
    Related,
    WireError,
    decode,
    parse,
    parse_bytes,
)


def story(*body: str, headline: str = "Harbour reopens after storm", dek: str | None = "Ships return.") -> str:
    head = [headline] + ([dek] if dek is not None else [])
    return "\n".join([*head, "-", *body]) + "\n"


def paragraphs(article):
    return [b.text for b in article.blocks if b.kind == "paragraph"]


# --- errors -------------------------------------------------------------------


def test_error_message_names_file_and_line():
    error = WireError("bad thing", line=3, filename="a.txt")
    assert (error.message, error.line, error.filename) == ("bad thing", 3, "a.txt")
    assert str(error) == "a.txt:3: bad thing"
    assert str(WireError("bad thing", line=3)) == "3: bad thing"
    assert str(WireError("bad thing", filename="a.txt")) == "a.txt: bad thing"
    assert str(WireError("bad thing")) == "bad thing"
    assert isinstance(error, ValueError)


@pytest.mark.parametrize("text", ["", "   \n\n\t\n"])
def test_empty_copy_is_refused(text):
    with pytest.raises(WireError, match="empty"):
        parse(text, filename="x.txt")


def test_missing_separator_is_refused_with_its_line():
    with pytest.raises(WireError, match="separator") as info:
        parse("Headline\nDek\nFirst paragraph.\n")
    assert info.value.line == 3


def test_headline_alone_has_no_separator():
    with pytest.raises(WireError, match="separator"):
        parse("Just a headline\n")


def test_separator_without_headline_is_refused():
    with pytest.raises(WireError, match="headline") as info:
        parse("\n-\nBody.\n")
    assert info.value.line == 2


def test_overlong_headline_is_refused():
    with pytest.raises(WireError, match="longer than") as info:
        parse(story("Body.", headline="x" * (HEADLINE_MAX_LENGTH + 1)))
    assert info.value.line == 1
    assert parse(story("Body.", headline="x" * HEADLINE_MAX_LENGTH)).headline == "x" * HEADLINE_MAX_LENGTH


def test_nothing_after_separator_is_refused():
    with pytest.raises(WireError, match="no body") as info:
        parse("Headline\nDek\n-\n\n\n")
    assert info.value.line == 3


def test_decode_refuses_empty_huge_binary_and_bad_utf8():
    with pytest.raises(WireError, match="empty"):
        decode(b"")
    with pytest.raises(WireError, match="larger"):
        decode(b"a" * (MAX_INPUT_BYTES + 1))
    with pytest.raises(WireError, match="binary") as info:
        decode(b"Headline\n-\nBo\x00dy")
    assert info.value.line == 3
    with pytest.raises(WireError, match="binary"):
        decode(bytes(range(1, 9)) * 50)
    with pytest.raises(WireError, match="UTF-8") as info:
        decode(b"Headline\r\n-\r\nCaf\xe9 au lait.\n", filename="f.txt")
    assert (info.value.line, info.value.filename) == (3, "f.txt")
    assert str(info.value).startswith("f.txt:3: ")


def test_decode_accepts_bom_normalises_newlines_and_nfc():
    text = decode(b"\xef\xbb\xbf" + "Cafe\u0301\r\n-\rBody.\n".encode())
    assert text == "Caf\u00e9\n-\nBody.\n"


def test_parse_refuses_non_text_and_oversized_text():
    with pytest.raises(WireError):
        parse(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(WireError, match="larger"):
        parse("a" * (MAX_INPUT_BYTES + 1))


@pytest.mark.parametrize(
    "text",
    [
        "-",
        "—\n—",
        "a\n-\n(",
        "a\n-\n)\n(",
        "a\n-\n•",
        "a\n-\nRead more:\n",
        "a\n-\n1. \n",
        "a\n-\n\ud800 x",
        "a\nb\nc\nd",
    ],
)
def test_odd_input_raises_only_wire_error(text):
    try:
        parse(text)
    except WireError:
        pass


def test_parse_bytes_decodes_then_parses():
    article = parse_bytes(b"Headline\r\n-\r\nBody text here.\r\n")
    assert article.headline == "Headline"
    assert paragraphs(article) == ["Body text here."]


# --- head ---------------------------------------------------------------------


def test_headline_dek_and_separator_variants():
    article = parse("\n  Headline  \n  The dek line.\n  —  \n\nBody.\n")
    assert (article.headline, article.dek) == ("Headline", "The dek line.")
    article = parse("Headline\n–\nBody.\n")
    assert article.dek is None


# --- lead image -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "caption", "credit"),
    [
        ("Fishermen mend nets at dawn. (AP)", "Fishermen mend nets at dawn.", "AP"),
        ("Fishermen mend nets at dawn [File: Reuters]", "Fishermen mend nets at dawn", "Reuters"),
        ("Fishermen mend nets at dawn [Reuters]", "Fishermen mend nets at dawn", "Reuters"),
        (
            "Fishermen mend nets. (Photo: Port Authority / Jan de Vries)",
            "Fishermen mend nets.",
            "Port Authority / Jan de Vries",
        ),
        ("Fishermen mend nets. Photo: Jane Doe", "Fishermen mend nets.", "Jane Doe"),
        ("Fishermen mend nets. Photograph: Jane Doe/Reuters", "Fishermen mend nets.", "Jane Doe/Reuters"),
        ("Fishermen mend nets at dawn / AFP", "Fishermen mend nets at dawn", "AFP"),
        (
            "Nets at dawn in 2019. Jane Doe | Bloomberg | Getty Images",
            "Nets at dawn in 2019.",
            "Jane Doe | Bloomberg | Getty Images",
        ),
        ("Fishermen mend nets. (Jane Doe/Associated Press)", "Fishermen mend nets.", "Jane Doe/Associated Press"),
        ("Fishermen mend nets at dawn. (Picture by Sam Lee)", "Fishermen mend nets at dawn.", "Sam Lee"),
        ("Fishermen mend nets at dawn. Photo by Sam Lee", "Fishermen mend nets at dawn.", "Sam Lee"),
        ("Fishermen mend nets at dawn. Photo credit: Sam Lee", "Fishermen mend nets at dawn.", "Sam Lee"),
        ("Fishermen mend nets at dawn. Fot. Ola Nowak/PAP", "Fishermen mend nets at dawn.", "Ola Nowak/PAP"),
        ("Fishermen mend nets at dawn. Pic by Sam Lee", "Fishermen mend nets at dawn.", "Sam Lee"),
        ("Fishermen mend nets at dawn. (Tribune file photo)", "Fishermen mend nets at dawn.", "Tribune file photo"),
        ("Fishermen mend nets at dawn | Photo: NTB", "Fishermen mend nets at dawn", "NTB"),
        (
            "Fishermen mend nets at dawn. (NTB photo by Sam Lee)",
            "Fishermen mend nets at dawn.",
            "NTB photo by Sam Lee",
        ),
        (
            "Fishermen mend nets at dawn. Photographer: Sam Lee/Bloomberg",
            "Fishermen mend nets at dawn.",
            "Sam Lee/Bloomberg",
        ),
        (
            "Fishermen mend nets near Sohar, in a file picture (ONA)",
            "Fishermen mend nets near Sohar, in a file picture",
            "ONA",
        ),
    ],
)
def test_lead_image_caption_and_credit(line, caption, credit):
    article = parse(story(line, "The harbour reopened on Monday."))
    assert article.lead_image == LeadImage(caption=caption, credit=credit, line=4)
    assert paragraphs(article) == ["The harbour reopened on Monday."]


@pytest.mark.parametrize(
    "line",
    [
        "The harbour reopened on Monday, officials said.",
        "The harbour, which closed last week (after the storm), reopened.",
        "Officials said the port would reopen (weather permitting).",
    ],
)
def test_first_paragraph_is_not_a_caption(line):
    article = parse(story(line, "Second paragraph."))
    assert article.lead_image is None
    assert paragraphs(article) == [line, "Second paragraph."]


def test_caption_written_above_the_separator_of_copy_without_a_standfirst_is_the_lead_image():
    article = parse(
        story("The harbour reopened on Monday.", dek="Trawlers at the quay on Sunday. (Photo: Lena Ortiz/EPA)")
    )
    assert article.dek is None
    assert article.lead_image == LeadImage(caption="Trawlers at the quay on Sunday.", credit="Lena Ortiz/EPA", line=2)
    assert paragraphs(article) == ["The harbour reopened on Monday."]


def test_a_standfirst_without_a_credit_stays_the_standfirst_beside_a_caption():
    article = parse(story("Trawlers at the quay. (AP)", "The harbour reopened.", dek="Ships return (slowly)."))
    assert article.dek == "Ships return (slowly)."
    assert article.lead_image.credit == "AP"


def test_caption_shaped_only_line_stays_body():
    article = parse(story("Boats in the harbour (AP)"))
    assert article.lead_image is None
    assert len(article.blocks) == 1


# --- body blocks ------------------------------------------------------------------


def test_subheadings_paragraphs_and_blank_lines():
    article = parse(story("First paragraph here.", "", "What comes next", "Second paragraph here.", "Why it matters?"))
    assert [(b.kind, b.text, b.line) for b in article.blocks] == [
        ("paragraph", "First paragraph here.", 4),
        ("subheading", "What comes next", 6),
        ("paragraph", "Second paragraph here.", 7),
        ("subheading", "Why it matters?", 8),
    ]


def test_quoted_short_line_with_full_stop_is_a_paragraph():
    article = parse(story('"We will rebuild."', "Mayor Jo Smith agreed."))
    assert [b.kind for b in article.blocks] == ["paragraph", "paragraph"]


def test_bullets_are_grouped_into_one_list():
    article = parse(
        story("Intro paragraph.", "• First point", "- Second point", "* Third point", "– Fourth", "After.")
    )
    assert article.blocks[1] == Block(
        kind="list", items=("First point", "Second point", "Third point", "Fourth"), line=5
    )
    assert paragraphs(article) == ["Intro paragraph.", "After."]


def test_numbered_list():
    article = parse(story("1. Open the port", "2. Check the cranes", "Done."))
    assert article.blocks[0].items == ("Open the port", "Check the cranes")


@pytest.mark.parametrize("label", ["Key Points", "Key points:", "Highlights"])
def test_list_label_is_dropped_but_list_kept(label):
    article = parse(story(label, "• One thing", "• Another thing", "Body paragraph."))
    assert [b.kind for b in article.blocks] == ["list", "paragraph"]


def test_list_label_without_list_is_an_ordinary_line():
    article = parse(story("Highlights", "Body paragraph."))
    assert [b.kind for b in article.blocks] == ["subheading", "paragraph"]


def test_read_more_lines_become_related_anchored_in_place():
    article = parse(
        story("One.", "Read more: Port strike ends after talks", "Two.", "Read more: Storm season outlook")
    )
    assert article.related == (
        Related(title="Port strike ends after talks", after_block=1, label="Read more", line=5),
        Related(title="Storm season outlook", after_block=2, label="Read more", line=7),
    )
    assert paragraphs(article) == ["One.", "Two."]


@pytest.mark.parametrize("label", ["More:", "Related", "Related Stories", "Read more:", "See also:", "Also read:"])
def test_label_line_introduces_related_titles_until_copy_resumes(label):
    article = parse(
        story("One.", label, "Port strike ends after talks", "Who pays for the storm?", "Two resumes here.")
    )
    assert [(r.title, r.after_block, r.label) for r in article.related] == [
        ("Port strike ends after talks", 1, label.rstrip(":")),
        ("Who pays for the storm?", 1, label.rstrip(":")),
    ]
    assert paragraphs(article) == ["One.", "Two resumes here."]


@pytest.mark.parametrize(
    "label",
    [
        "MORE ON THIS STORY",
        "Don't miss",
        "Recommended for you",
        "More on this subject:",
        "You might also like",
        "ALSO READ",
    ],
)
def test_label_lines_in_other_outlets_words_introduce_related_titles(label):
    article = parse(
        story("One.", label, "Port strike ends after talks", "Who pays for the storm?", "Two resumes here.")
    )
    assert [(r.title, r.label) for r in article.related] == [
        ("Port strike ends after talks", label.rstrip(":")),
        ("Who pays for the storm?", label.rstrip(":")),
    ]
    assert paragraphs(article) == ["One.", "Two resumes here."]


@pytest.mark.parametrize("crosshead", ["More rain ahead", "Read the small print", "Also on the table"])
def test_a_crosshead_starting_with_a_label_word_above_a_paragraph_stays_a_subheading(crosshead):
    article = parse(story("One.", crosshead, "Two resumes here."))
    assert article.related == ()
    assert [b.text for b in article.blocks if b.kind == "subheading"] == [crosshead]


@pytest.mark.parametrize(
    "line",
    [
        "[Also read: Port strike ends after talks]",
        "(SEE ALSO: Port strike ends after talks)",
        "[Related | Port strike ends after talks]",
        "Recommended: Port strike ends after talks",
    ],
)
def test_related_links_inside_brackets_and_after_other_labels(line):
    article = parse(story("One.", line, "Two."))
    assert [(r.title, r.after_block) for r in article.related] == [("Port strike ends after talks", 1)]
    assert paragraphs(article) == ["One.", "Two."]


def test_a_paragraph_in_brackets_is_not_a_related_link():
    line = "(The ministry later said the figure was an estimate: officials are still counting.)"
    article = parse(story("One.", line))
    assert article.related == ()
    assert paragraphs(article) == ["One.", line]


def test_a_bracketed_label_line_introduces_related_titles():
    article = parse(story("One.", "[Read more]", "Port strike ends after talks", "Two."))
    assert [(r.title, r.label) for r in article.related] == [("Port strike ends after talks", "Read more")]
    assert paragraphs(article) == ["One.", "Two."]


def test_a_label_left_hanging_on_a_preposition_introduces_related_titles():
    article = parse(story("One.", "Stories you could be curious about", "Port strike ends after talks", "Two."))
    assert [r.title for r in article.related] == ["Port strike ends after talks"]
    assert paragraphs(article) == ["One.", "Two."]


def test_bulleted_titles_under_a_label_are_related_links():
    article = parse(story("One.", "READ MORE:", "* Port strike ends after talks", "• Who pays for the storm?", "Two."))
    assert [r.title for r in article.related] == ["Port strike ends after talks", "Who pays for the storm?"]
    assert [b.kind for b in article.blocks] == ["paragraph", "paragraph"]


def test_related_label_at_end_of_copy():
    article = parse(story("One.", "Related Stories", "Port strike ends after talks"))
    assert [r.title for r in article.related] == ["Port strike ends after talks"]
    assert [r.after_block for r in article.related] == [1]


def test_agency_sign_off_is_removed_from_last_paragraph():
    article = parse(story("First.", "The port reopens on Friday. DM"))
    assert paragraphs(article)[-1] == "The port reopens on Friday."
    article = parse(story("First.", "He flew to the US."))
    assert paragraphs(article)[-1] == "He flew to the US."


def test_reporting_credit_line_is_not_body_and_credits_the_team():
    article = parse(story("The port reopened.", "(Reporting by Jane Doe; Editing by John Roe)"))
    assert paragraphs(article) == ["The port reopened."]
    assert article.bylines == (Byline("Jane Doe", "author"), Byline("John Roe", "editor"))
    assert [p.name for p in article.people] == []


def test_unbracketed_credit_lines_with_places_and_several_names():
    article = parse(
        story(
            "The port reopened.",
            "Reporting by Laila Bassam in Beirut and Maya Gebeily; additional reporting by Ali Hassan",
            "Writing by Tom Perry; Editing by Andrew Heavens",
        )
    )
    assert paragraphs(article) == ["The port reopened."]
    assert article.bylines == (
        Byline("Laila Bassam", "author"),
        Byline("Maya Gebeily", "author"),
        Byline("Ali Hassan", "additional"),
        Byline("Tom Perry", "author"),
        Byline("Andrew Heavens", "editor"),
    )


def test_opening_by_line_names_the_authors():
    article = parse(story("By Jane Doe and Ahmad al-Sharif", "The port reopened on Friday."))
    assert paragraphs(article) == ["The port reopened on Friday."]
    assert [b.name for b in article.bylines] == ["Jane Doe", "Ahmad al-Sharif"]


@pytest.mark.parametrize(
    "line", ["By Friday, the port had reopened.", "By then the ships had gone home", "By Land and Sea"]
)
def test_lines_starting_with_by_that_name_nobody_stay_in_the_body(line):
    article = parse(story(line, "More news."))
    assert article.blocks[0].text == line
    assert article.bylines == ()


# --- datelines ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "dateline", "source", "rest"),
    [
        ("BEIRUT (Reuters) - Ships returned.", "BEIRUT", "Reuters", "Ships returned."),
        ("CAIRO — Ships returned.", "CAIRO", None, "Ships returned."),
        ("DUBAI, United Arab Emirates — Ships returned.", "DUBAI, United Arab Emirates", None, "Ships returned."),
        ("WASHINGTON, Nov 20 (Reuters) – Ships returned.", "WASHINGTON", "Reuters", "Ships returned."),
        ("LONDON: Ships returned.", "LONDON", None, "Ships returned."),
        ("(Reuters) - Ships returned.", None, "Reuters", "Ships returned."),
        ("US ships returned - slowly.", None, None, "US ships returned - slowly."),
    ],
)
def test_dateline_is_split_from_first_paragraph(first, dateline, source, rest):
    article = parse(story(first, "Second."))
    assert (article.dateline, article.source) == (dateline, source)
    assert article.blocks[0].text == rest


def test_dateline_is_read_from_first_paragraph_after_a_list():
    article = parse(story("Key Points", "• A point", "ROME — Ships returned."))
    assert article.dateline == "ROME"
    assert paragraphs(article) == ["Ships returned."]


# --- people ----------------------------------------------------------------------------


def person(article, name):
    return next(p for p in article.people if p.name == name)


def test_title_before_name_and_surname_mentions():
    article = parse(
        story(
            "Norwegian Fisheries Minister Ingrid Solberg-Dahl visited the port on Monday.",
            "Solberg-Dahl said the harbour would reopen.",
        )
    )
    assert [(p.name, p.title) for p in article.people] == [("Ingrid Solberg-Dahl", "Norwegian Fisheries Minister")]


def test_appositive_titles_and_ranks():
    article = parse(
        story(
            "Pieter van der Berg, a lawyer for the Port Authority, said repairs had begun.",
            "The harbour director for the northern docks, Amina bint Khalid, told reporters the cranes were safe.",
            "General Tomas Rivera, chairman of the Regional Security Council, agreed.",
            "Dr Lea Okafor, the senior engineer at the Coastal Research Institute, told the inquiry.",
        )
    )
    assert [(p.name, p.title) for p in article.people] == [
        ("Pieter van der Berg", "lawyer for the Port Authority"),
        ("Amina bint Khalid", "harbour director for the northern docks"),
        ("Tomas Rivera", "chairman of the Regional Security Council"),
        ("Lea Okafor", "senior engineer at the Coastal Research Institute"),
    ]


def test_age_and_speech_verbs_mark_people_without_titles():
    article = parse(story("Karl Osterberg, 58, agreed.", "Mira Halvorsen told the meeting it was late."))
    assert [(p.name, p.title) for p in article.people] == [("Karl Osterberg", None), ("Mira Halvorsen", None)]


def test_spelling_variants_are_one_person_with_body_spelling_canonical():
    article = parse(
        story(
            "Port chief Omar Al-Hashimi inspects a crane. (AP)",
            "Harbour director Omar al-Hashimi said ships could dock.",
            "Omar al-Hashimi added that al-Hashimi would stay on.",
        )
    )
    assert len(article.people) == 1
    assert article.people[0].name == "Omar al-Hashimi"
    assert article.people[0].aliases == ("Omar Al-Hashimi",)
    # The body's title wins over the caption's.
    assert article.people[0].title == "Harbour director"


def test_non_ascii_names_come_through_whole():
    article = parse(story("Turkish Trade Minister Ömer Erdoğan said exports rose.", "Erdoğan spoke in Ankara."))
    assert person(article, "Ömer Erdoğan").title == "Turkish Trade Minister"


def test_sentence_openers_and_places_are_not_people():
    article = parse(story("Meanwhile, ships returned to Norway.", "However, the port in Bergen stayed shut."))
    assert article.people == ()
    assert article.places == ("Norway", "Bergen")


def test_role_after_name():
    article = parse(
        story("Sven Lindqvist said the fleet was ready.", "Lindqvist is the head of the Fishing Union in Malmo.")
    )
    assert person(article, "Sven Lindqvist").title == "head of the Fishing Union in Malmo"


def names_and_titles(*body, **head):
    return [(p.name, p.title) for p in parse(story(*body, **head)).people]


def test_titles_given_by_role_rather_than_before_the_name():
    assert names_and_titles(
        "The party's treasurer, Orla Quinnell, said the accounts were in order.",
        "Bertil Sandvik, who chairs the harbour board, said the cranes were safe.",
        "Ines Maartens, who runs the fishermen's cooperative in Hirtshals, agreed.",
        "Repairs will take a month, said the museum's curator of maps, Ruth Abernathy.",
        "Colm Feeney, an epidemiologist at the coastal institute, said nobody was hurt.",
        "The fleet's deputy commander, Rear Adm. Hal Okonkwo-Berg, told the inquiry the boats were ready.",
    ) == [
        ("Orla Quinnell", "treasurer"),
        ("Bertil Sandvik", "chair of the harbour board"),
        ("Ines Maartens", "head of the fishermen's cooperative in Hirtshals"),
        ("Ruth Abernathy", "curator of maps"),
        ("Colm Feeney", "epidemiologist at the coastal institute"),
        ("Hal Okonkwo-Berg", "deputy commander"),
    ]


def test_a_named_owner_stays_in_a_title():
    article = parse(story("Norway's fisheries minister, Orla Quinnell, said the port was open."))
    assert person(article, "Orla Quinnell").title == "Norway's fisheries minister"


def test_names_joined_by_particles_are_people_without_other_signs():
    assert names_and_titles(
        "Letters by Johann van Ruysdael were sold in Bergen.",
        "Ibn Battuta described the harbour in his travels.",
        "Orla Quinnell, whose boat sank in the storm, said she would fish again.",
        headline="Restored van Gogh mill reopens",
    ) == [("Johann van Ruysdael", None), ("Ibn Battuta", None), ("Orla Quinnell", None)]


def test_descriptions_after_a_name_or_its_age_are_titles():
    assert names_and_titles(
        "Tove Brekke, 41, a net maker who works on the quay, said orders had doubled.",
        '"Prices will rise," said Arne Solheim, a shipping analyst at the bank.',
        "Kari Nygaard, head of forecasting at the Met Office, said the wind would drop.",
        "Father Ansgar Holm, the parish's rector, blessed the boats.",
    ) == [
        ("Tove Brekke", "net maker"),
        ("Arne Solheim", "shipping analyst at the bank"),
        ("Kari Nygaard", "head of forecasting at the Met Office"),
        ("Ansgar Holm", "rector"),
    ]


def test_roles_in_lower_case_before_a_name_and_owned_roles_before_an_aside():
    assert names_and_titles(
        "The first goal came from a cross by winger Ole Berg, the second from harbour master Ines Falk.",
        "Berg said it was luck.",
        "Falk said it was not.",
        "The visitors had chances, and Vardø's keeper, Tor Lie, said the wind helped them.",
        "Anne Moe, who chaired the board during the storm, said the pier held.",
    ) == [
        ("Ole Berg", "winger"),
        ("Ines Falk", "harbour master"),
        ("Tor Lie", "Vardø's keeper"),
        ("Anne Moe", "former chair of the board"),
    ]


def test_a_verb_or_a_clause_before_a_name_is_no_title():
    assert names_and_titles(
        "Next week the club will face Ole Berg's old side, and hopes to replace Ines Falk, said Tor Lie.",
        "A deal was still possible, Tor Lie told the meeting.",
        "Lava reached the nearby Grey Lagoon spa, a spokesperson said.",
    ) == [("Tor Lie", None)]


def test_spanish_particles_and_a_suffix_with_its_full_stop_stay_in_names():
    assert names_and_titles(
        "Harbour Secretary Inés de los Ríos said the quay was safe.",
        "Senator Tomas Lind Jr. called for an inquiry.",
    ) == [("Inés de los Ríos", "Harbour Secretary"), ("Tomas Lind Jr.", "Senator")]


def test_capitalised_roles_by_their_ending_and_qualified_roles_at_a_sentence_start():
    assert names_and_titles(
        "Harbour Administrator Ines Falk Moe opened the quay.",
        "Opposition legislator Tor Lie said the quay opened late.",
        "Governor I Nyoman Sura said the port would expand.",
        "Pieter Bas Smit, a pilot, said the channel was clear.",
    ) == [
        ("Ines Falk Moe", "Harbour Administrator"),
        ("Tor Lie", "Opposition legislator"),
        ("I Nyoman Sura", "Governor"),
        ("Pieter Bas Smit", "pilot"),
    ]


def test_initials_stay_in_names_and_a_place_with_a_particle_is_not_a_person():
    assert names_and_titles(
        "The harbour master, R. K. Narayanan, said the quay would reopen.",
        "Boats sheltered near Porto di Levante overnight.",
        "P. Lakshmi, head of the fishing cooperative, agreed.",
    ) == [("R. K. Narayanan", "harbour master"), ("P. Lakshmi", "head of the fishing cooperative")]


def test_a_street_after_a_title_word_is_not_a_person():
    assert names_and_titles("The parade passed along King Street West and Queen Street East, police said.") == []


def test_a_capitalised_owner_may_open_a_title_after_the_name():
    assert names_and_titles("Lars Vik, New Zealand's trade envoy, said the quota was fair.") == [
        ("Lars Vik", "New Zealand's trade envoy")
    ]


def test_names_with_a_place_word_inside_or_an_elided_particle():
    assert names_and_titles(
        "Hall Ji-woo, a harbour pilot, said the channel was clear.",
        "The ledger was signed by Cosimo de' Bardi and Lucia della Torre in Bergen.",
    ) == [("Hall Ji-woo", "harbour pilot"), ("Cosimo de' Bardi", None), ("Lucia della Torre", None)]


# --- places and organisations --------------------------------------------------------------


def test_places_and_organisations_with_cues_and_acronyms():
    article = parse(
        story(
            "The International Maritime Organization (IMO) met in Oslo on Monday.",
            "The IMO said ships would sail from Kavala province to the Gaza Strip via Cyprus.",
            "Officials at the Norwegian Coastal Administration and Nordic Airlines agreed.",
        )
    )
    assert article.organisations == (
        "International Maritime Organization",
        "Norwegian Coastal Administration",
        "Nordic Airlines",
    )
    assert article.places == ("Oslo", "Kavala province", "Gaza Strip", "Cyprus")


def test_full_form_wins_over_abbreviation_and_short_form_alone_stays():
    article = parse(story("The US sent aid.", "The United States and the UK agreed."))
    assert article.places == ("United States", "UK")


def test_demonyms_are_not_places():
    article = parse(story("Ghanaian and French officials met.", "Swedish prosecutors agreed."))
    assert article.places == ()


def test_names_found_later_are_the_names_a_parse_finds_at_once():
    from articles.interchange.wire import find_names, names_later, parse
    from tests.conftest import REPO

    text = (REPO / "fixtures" / "wire" / "000_ff7aa41f6574f300.txt").read_text(encoding="utf-8")
    at_once = parse(text)
    with names_later():
        later = parse(text)
    assert at_once.people and at_once.places
    assert (later.people, later.places, later.organisations) == ((), (), ())
    assert later.headline == at_once.headline and later.blocks == at_once.blocks
    assert find_names(later) == at_once
