"""Building the unsigned complaint bundle PDF from plain dataclasses; nothing here touches the ORM.

``layout`` lays out text with embedded fonts; ``pages``, ``letter`` and ``testbuy`` make the bundle's own
pages; ``exhibits`` turns each file into pages; ``merge`` concatenates with qpdf; ``stamping`` puts every page
on A4 with its stamp; ``assemble`` runs the section builders in order and writes the file.
"""

from portal.bundle.pdf.assemble import BuiltPdf, build_bundle
from portal.bundle.pdf.layout import STRIP
from portal.bundle.pdf.stamping import stamp_text

__all__ = ["STRIP", "BuiltPdf", "build_bundle", "stamp_text"]
