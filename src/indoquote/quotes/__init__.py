"""Tags -> quote records: people, the span index, speakers by rules or by the trained linker, indirect speech.

:mod:`~indoquote.quotes.attribute` is the one place that chooses between the linker and the rules.
"""

from .attribute import attached_tags, quote_records, records_from_words
from .indirect_rules import indirect_records
from .linker import Linker, load_linker
from .records import Mention, QuoteRecord
from .speakers import People, Person, find_people

__all__ = [
    "Linker",
    "Mention",
    "People",
    "Person",
    "QuoteRecord",
    "attached_tags",
    "find_people",
    "indirect_records",
    "load_linker",
    "quote_records",
    "records_from_words",
]
