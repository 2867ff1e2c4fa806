"""Pydantic models of requests and quote records: the OpenAPI schema, and the checks that name a bad field.

The record models mirror :class:`indoquote.records.QuoteRecord` field for field
(a test holds them together), so the schema documents exactly what
``indoquote predict`` writes.
"""

from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..pipeline.tagger import check_kinds
from ..text.normalize import is_blank

Kind = Literal["direct", "indirect"]


class Mention(BaseModel):
    """A labelled span: ``text == article[start:end]`` (character offsets, ``end`` exclusive)."""

    text: str
    start: int
    end: int
    label: str


class QuoteRecord(BaseModel):
    """One quotation and its attribution, as a line of ``indoquote predict`` holds it."""

    quote: str = Field(description="the quotation's words (marks, outer space and a trailing comma stripped)")
    start: int = Field(description="character offset of the quotation span in the text as sent")
    end: int
    speaker: Optional[str] = Field(None, description="the resolved name; null when unknown or withheld")
    speaker_mention: Optional[Mention] = None
    cue: Optional[Mention] = None
    role: Optional[str] = None
    affiliation: Optional[str] = None
    spans: list[Mention] = Field(default_factory=list, description="every mention the attribution used")
    confidence: Optional[float] = Field(None, description="the linker's probability (null: attributed by rules)")
    speaker_reason: Optional[str] = Field(None, description="why speaker is null")
    kind: Kind = "direct"
    speaker_forms: list[str] = Field(
        default_factory=list, description="every name the article gives the speaker (empty when none or withheld)"
    )
    role_forms: list[str] = Field(
        default_factory=list, description="every title form merged into role (aliases such as Mendag included)"
    )


class ArticleResult(BaseModel):
    """One article's records: ``{"id", "quotes"}``, the ``indoquote predict`` JSONL line."""

    id: str
    quotes: list[QuoteRecord]


class BatchResult(BaseModel):
    articles: list[ArticleResult]


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kinds: Optional[Union[list[str], str]] = Field(
        None, description='"direct", "indirect" or both (a list, or "direct,indirect"); default: the server\'s'
    )
    min_confidence: Optional[float] = Field(
        None, ge=0, le=1, strict=True, description="withhold speakers the linker chose with a lower probability"
    )

    @field_validator("kinds")
    @classmethod
    def _kinds(cls, value):
        return None if value is None else list(check_kinds(value))


class ArticleRequest(_Options):
    """One article to tag."""

    text: str = Field(strict=True, description="the article (UTF-8 text; at most the server's article limit)")
    id: Optional[str] = Field(None, strict=True, min_length=1, description='echoed back; default "text"')

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        if is_blank(value):
            raise ValueError("empty article: the text has no words")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as e:
            raise ValueError(f"not valid Unicode: a lone surrogate at character {e.start}") from None
        return value


class BatchRequest(_Options):
    """Many articles; ``kinds`` and ``min_confidence`` here are the default of each article that names none."""

    articles: list[ArticleRequest] = Field(min_length=1)
