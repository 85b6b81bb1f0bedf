"""What was found and bought: matters (enforcement cases) and, below them, the evidence.

One module per model, in the order they depend on each other; everything imports them from here.
"""

from evidence.models.capture import Capture, TakedownWatch
from evidence.models.custody import CustodyEvent
from evidence.models.exhibit import Exhibit, ExhibitChangeForbidden
from evidence.models.listing import FACT_FIELDS, Listing, MatterListing, matter_facts
from evidence.models.listing_import import ListingImport
from evidence.models.matter import Matter
from evidence.models.purchase import TestPurchase
from evidence.models.seller import Seller, SellerAlias
from evidence.models.seller_identifier import SellerIdentifier, SellerLink

__all__ = [
    "FACT_FIELDS",
    "Capture",
    "CustodyEvent",
    "Exhibit",
    "ExhibitChangeForbidden",
    "Listing",
    "ListingImport",
    "Matter",
    "MatterListing",
    "Seller",
    "SellerAlias",
    "SellerIdentifier",
    "SellerLink",
    "TakedownWatch",
    "TestPurchase",
    "matter_facts",
]
