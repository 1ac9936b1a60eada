"""A QTI 1.2 package laid out as Canvas exports one: imsmanifest.xml, and per assessment a folder
with the QTI file and Canvas's assessment_meta.xml (title, shuffling, points), which the
manifest names as the assessment's dependency."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.exports.text import (
    case_label,
    general_feedback,
    option_feedback,
    paragraph,
    stem_html,
    title,
    xml_bytes,
)
from generator.exports.zipped import deterministic_zip
from generator.quiz.blueprint import Quiz

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
META_TYPE = "associatedcontent/imscc_xmlv1p1/learning-application-resource"
POINTS_PER_QUESTION = 1


def _field(parent: ET.Element, label: str, entry: str) -> None:
    field = ET.SubElement(parent, "qtimetadatafield")
    ET.SubElement(field, "fieldlabel").text = label
    ET.SubElement(field, "fieldentry").text = entry


def _material(parent: ET.Element, text: str, html: bool = True) -> None:
    material = ET.SubElement(parent, "material")
    ET.SubElement(material, "mattext", {"texttype": "text/html" if html else "text/plain"}).text = text


def _case_group(section: ET.Element, ident: str, label: str, steps: int) -> ET.Element:
    """An unfolding case's steps as one question group that keeps them all, in order."""
    group = ET.SubElement(section, "section", {"ident": ident, "title": label})
    ordering = ET.SubElement(group, "selection_ordering")
    selection = ET.SubElement(ordering, "selection")
    ET.SubElement(selection, "selection_number").text = str(steps)
    extension = ET.SubElement(selection, "selection_extension")
    ET.SubElement(extension, "points_per_item").text = f"{POINTS_PER_QUESTION:.1f}"
    ET.SubElement(ordering, "order", {"order_type": "Sequential"})
    return group


def assessment(quiz: Quiz, ident: str) -> bytes:
    root = ET.Element("questestinterop", {"xmlns": QTI_NS})
    test = ET.SubElement(root, "assessment", {"ident": ident, "title": title(quiz)})
    _field(ET.SubElement(test, "qtimetadata"), "cc_maxattempts", "1")
    section = ET.SubElement(test, "section", {"ident": "root_section"})
    parent = section
    for number, question in enumerate(quiz.questions, start=1):
        step = question.step
        if step is not None and step.number == 1:
            parent = _case_group(section, f"{ident}_{step.case.replace('-', '_')}", case_label(step), step.of)
        item_id = f"{ident}_q{number}"
        item = ET.SubElement(parent, "item", {"ident": item_id, "title": f"Question {number}"})
        if step is not None and step.number == step.of:
            parent = section
        meta = ET.SubElement(ET.SubElement(item, "itemmetadata"), "qtimetadata")
        _field(meta, "question_type", "multiple_choice_question")
        _field(meta, "points_possible", f"{POINTS_PER_QUESTION:.1f}")
        presentation = ET.SubElement(item, "presentation")
        _material(presentation, stem_html(question))
        choices = ET.SubElement(
            ET.SubElement(presentation, "response_lid", {"ident": "response1", "rcardinality": "Single"}),
            "render_choice",
        )
        labels = [f"{item_id}_{letter.lower()}" for letter in question.letters]
        for label, option in zip(labels, question.options):
            _material(ET.SubElement(choices, "response_label", {"ident": label}), option.text, html=False)
        processing = ET.SubElement(item, "resprocessing")
        ET.SubElement(
            ET.SubElement(processing, "outcomes"),
            "decvar",
            {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"},
        )
        general = ET.SubElement(processing, "respcondition", {"continue": "Yes"})
        ET.SubElement(ET.SubElement(general, "conditionvar"), "other")
        ET.SubElement(general, "displayfeedback", {"feedbacktype": "Response", "linkrefid": "general_fb"})
        for label in labels:
            condition = ET.SubElement(processing, "respcondition", {"continue": "Yes"})
            ET.SubElement(ET.SubElement(condition, "conditionvar"), "varequal", {"respident": "response1"}).text = label
            ET.SubElement(condition, "displayfeedback", {"feedbacktype": "Response", "linkrefid": f"{label}_fb"})
        correct = ET.SubElement(processing, "respcondition", {"continue": "No"})
        ET.SubElement(ET.SubElement(correct, "conditionvar"), "varequal", {"respident": "response1"}).text = labels[
            question.key
        ]
        ET.SubElement(correct, "setvar", {"action": "Set", "varname": "SCORE"}).text = "100"
        feedbacks = [("general_fb", general_feedback(question))] + [
            (f"{label}_fb", option_feedback(question, index)) for index, label in enumerate(labels)
        ]
        for feedback_id, text in feedbacks:
            flow = ET.SubElement(ET.SubElement(item, "itemfeedback", {"ident": feedback_id}), "flow_mat")
            _material(flow, paragraph(text))
    return xml_bytes(root)


def assessment_meta(quiz: Quiz, ident: str) -> bytes:
    """Canvas's quiz settings: options in the order written (feedback may name them), one attempt."""
    points = f"{POINTS_PER_QUESTION * len(quiz.questions):.1f}"
    root = ET.Element("quiz", {"identifier": ident, "xmlns": CANVAS_NS})
    settings = {
        "title": title(quiz),
        "description": paragraph(quiz.blueprint.about),
        "shuffle_answers": "false",
        "scoring_policy": "keep_highest",
        "quiz_type": "assignment",
        "points_possible": points,
        "show_correct_answers": "true",
        "allowed_attempts": "1",
        "one_question_at_a_time": "false",
        "cant_go_back": "false",
        "available": "false",
    }
    for tag, value in settings.items():
        ET.SubElement(root, tag).text = value
    assignment = ET.SubElement(root, "assignment", {"identifier": f"{ident}_assignment"})
    for tag, value in (
        ("title", title(quiz)),
        ("workflow_state", "unpublished"),
        ("quiz_identifierref", ident),
        ("points_possible", points),
        ("grading_type", "points"),
        ("submission_types", "online_quiz"),
    ):
        ET.SubElement(assignment, tag).text = value
    return xml_bytes(root)


def manifest(package: str, assessments: list[str]) -> bytes:
    """Each assessment a resource of its QTI file, depending on its assessment_meta.xml resource."""
    root = ET.Element("manifest", {"identifier": f"{package}_manifest", "xmlns": CP_NS})
    metadata = ET.SubElement(root, "metadata")
    ET.SubElement(metadata, "schema").text = "IMS Content"
    ET.SubElement(metadata, "schemaversion").text = "1.1.3"
    ET.SubElement(root, "organizations")
    listing = ET.SubElement(root, "resources")
    for ident in assessments:
        resource = ET.SubElement(listing, "resource", {"identifier": ident, "type": "imsqti_xmlv1p2"})
        ET.SubElement(resource, "file", {"href": f"{ident}/{ident}.xml"})
        ET.SubElement(resource, "dependency", {"identifierref": f"{ident}_meta"})
        meta_href = f"{ident}/assessment_meta.xml"
        meta = ET.SubElement(listing, "resource", {"identifier": f"{ident}_meta", "type": META_TYPE, "href": meta_href})
        ET.SubElement(meta, "file", {"href": meta_href})
    return xml_bytes(root)


def export(quizzes: list[Quiz]) -> bytes:
    """One package; Canvas makes each version (each assessment in it) a quiz of its own."""
    files: dict[str, bytes] = {}
    idents = []
    for quiz in quizzes:
        ident = f"{quiz.blueprint.id.replace('-', '_')}_v{quiz.variant}"
        files[f"{ident}/{ident}.xml"] = assessment(quiz, ident)
        files[f"{ident}/assessment_meta.xml"] = assessment_meta(quiz, ident)
        idents.append(ident)
    files["imsmanifest.xml"] = manifest(quizzes[0].blueprint.id.replace("-", "_"), idents)
    return deterministic_zip(files)
