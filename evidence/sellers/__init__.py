"""The rules that recognise a seller: across names and scripts (``names``), by the one rule for a listing's or
a store's address and its key (``urls``), and by the identifiers behind a store (``identifiers``). Pure rules,
which the models use; the networks those identifiers tie stores into are kept by ``evidence.networks``, which
writes (grouped here it would make a cycle between this package and the models)."""
