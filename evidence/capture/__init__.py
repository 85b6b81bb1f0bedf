"""The portal's own forensic capture of listing pages, and the takedown checks built on it.

``safety`` decides which addresses may be fetched; ``fetching`` fetches one request pinned to a checked
address; ``browser`` drives Chromium through Playwright with every request going through ``fetching``;
``archive`` writes the WARC and WACZ; ``record`` makes the signed capture record; ``pages`` reads what a
platform's page says and whether it says the item is gone; ``services`` stores it all as exhibits and
runs the takedown schedule.
"""
