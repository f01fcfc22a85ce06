"""The kinds of registration question, each in one place: its form field, what a valid answer
is, and what counts as no answer. The form and the service (and through it the API) read the
same table."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Question

NOT_ANSWERED = (None, "", [], False)


def is_answered(value) -> bool:
    """Whether `value` answers a question: a blank text, no choice or an unticked box does not."""
    return value not in NOT_ANSWERED


@dataclass(frozen=True)
class QuestionKind:
    form_field: Callable  # (question, **common) -> forms.Field
    is_valid: Callable  # (question, answered value) -> bool
    error: Callable  # (question) -> the message when it is not valid


def _choices(question):
    return [(choice, choice) for choice in question.choices]


KINDS = {
    Question.Kind.TEXT: QuestionKind(
        form_field=lambda question, **common: forms.CharField(max_length=1000, **common),
        is_valid=lambda question, value: isinstance(value, str) and len(value) <= 1000,
        error=lambda question: _("Give a text of at most 1000 characters."),
    ),
    Question.Kind.CHOICE: QuestionKind(
        form_field=lambda question, **common: forms.ChoiceField(
            choices=_choices(question), widget=forms.RadioSelect, **common
        ),
        is_valid=lambda question, value: isinstance(value, str) and value in question.choices,
        error=lambda question: (
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(question.choices)}
        ),
    ),
    Question.Kind.MULTI_CHOICE: QuestionKind(
        form_field=lambda question, **common: forms.MultipleChoiceField(
            choices=_choices(question), widget=forms.CheckboxSelectMultiple, **common
        ),
        is_valid=lambda question, value: (
            isinstance(value, list)
            and all(isinstance(choice, str) for choice in value)
            and set(value) <= set(question.choices)
        ),
        error=lambda question: (
            _("Choose among: %(choices)s.") % {"choices": ", ".join(question.choices)}
        ),
    ),
    Question.Kind.CHECKBOX: QuestionKind(
        form_field=lambda question, **common: forms.BooleanField(**common),
        is_valid=lambda question, value: value is True,
        error=lambda question: _("Tick the box or leave it."),
    ),
}


def form_field(question) -> forms.Field:
    return KINDS[question.kind].form_field(
        question,
        label=question.label,
        required=question.required,
        error_messages={"required": _("This question needs an answer.")},
    )


def answer_error(question_id, message) -> ValidationError:
    """An error about one answer, keyed by its question's id (see api/exceptions.py and
    RegistrationForm.add_service_errors)."""
    return ValidationError(message, code="answer", params={"key": str(question_id)})


def validated_answers(questions, answers) -> dict:
    """The answers to `questions` (a list), cleaned and keyed by question id as a string.

    Raises ValidationError {"answers": [errors keyed by question id]}.
    """
    answers = answers or {}
    if not isinstance(answers, dict):
        raise ValidationError({"answers": _("Give the answers as an object keyed by question id.")})
    by_id = {str(question.pk): question for question in questions}
    unknown = set(map(str, answers)) - set(by_id)
    if unknown:
        raise ValidationError(
            {"answers": _("Unknown question: %(ids)s.") % {"ids": ", ".join(sorted(unknown))}}
        )
    cleaned, errors = {}, []
    for key, question in by_id.items():
        value = answers.get(key, answers.get(int(key)))
        if not is_answered(value):
            if question.required:
                errors.append(answer_error(key, _("This question needs an answer.")))
        elif not KINDS[question.kind].is_valid(question, value):
            errors.append(answer_error(key, KINDS[question.kind].error(question)))
        else:
            cleaned[key] = value.strip() if isinstance(value, str) else value
    if errors:
        raise ValidationError({"answers": errors})
    return cleaned
