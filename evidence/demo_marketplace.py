"""A fake marketplace on loopback, for the capture demo and the capture tests: listing pages shaped like each
platform's, a redirect chain, lazy-loaded images, a removed item, and a page that tries to reach private
addresses. ``take_down`` / ``restore`` (or GET /_control/down/<item> and /_control/up/<item>) switch a
listing between live and removed, so scheduled checks can be watched doing their work.

It serves plain HTTP, or HTTPS with a certificate given to ``Marketplace(tls=...)``. Only loopback: the
capture reaches it only with PORTAL_CAPTURE_ALLOWED_HOSTS naming its host and port.
"""

from __future__ import annotations

import html
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# One product per platform, shaped the way each platform's reader (evidence.capture.pages) looks for facts.
PRODUCTS = {
    "aliexpress": {
        "title": "Aurora Desk Lamp LED Replica 2026", "price": "24.90", "currency": "USD",
        "seller": "Glowhome Lighting Store", "store_link": "https://www.aliexpress.com/store/1102345678",
        "contact": "Customer service: +86 138 2468 1357 · sales@glowhome-lighting.example",
    },
    "amazon": {
        "title": "Aurora-style Desk Lamp, Dimmable", "price": "39.99", "currency": "GBP",
        "seller": "BrightDeals UK", "store_link": "https://www.amazon.co.uk/sp?ie=UTF8&seller=A2BRIGHTDEALS9",
    },
    "ebay": {
        "title": "AURORA designer lamp – brand new", "price": "31.50", "currency": "USD",
        "seller": "lamp_outlet_2026", "store_link": "https://www.ebay.com/usr/lamp_outlet_2026",
    },
    "alibaba": {
        "title": "Wholesale Aurora lamp OEM factory", "price": "6.20", "currency": "USD",
        "seller": "Shenzhen Glowhome Lighting Co., Ltd.", "store_link": "https://glowhome.en.alibaba.com/",
    },
    "taobao": {
        "title": "北欧极光台灯 同款", "price": "89.00", "currency": "CNY",
        "seller": "极光灯具专营店", "store_link": "https://shop123456789.taobao.com/",
    },
    "1688": {
        "title": "极光台灯 工厂直销 批发", "price": "35.00", "currency": "CNY",
        "seller": "深圳市明光照明有限公司", "store_link": "https://mingguang.1688.com/",
    },
}  # fmt: skip
PIXEL = bytes.fromhex(  # a 1x1 PNG
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5f6b1f40000000049454e44ae426082"
)


def product_page(platform: str, item: str) -> str:
    product = PRODUCTS[platform]
    data = {
        "@context": "https://schema.org", "@type": "Product", "name": product["title"],
        "offers": {"@type": "Offer", "price": product["price"], "priceCurrency": product["currency"],
                   "seller": {"@type": "Organization", "name": product["seller"]}},
    }  # fmt: skip
    lazy = "".join(f'<p style="height:700px">Section {n}</p><img loading="lazy" src="/img/{item}-{n}.png" '
                   f'alt="photo {n}" width="40" height="40">' for n in range(1, 4))  # fmt: skip
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(product["title"])}</title>
<meta property="og:title" content="{html.escape(product["title"])}">
<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>
<link rel="stylesheet" href="/static/site.css"></head>
<body><h1 id="productTitle" class="x-item-title__mainTitle">{html.escape(product["title"])}</h1>
<p class="price">{product["currency"]} {product["price"]}</p>
<p>Sold by <a id="sellerProfileTriggerId" href="{html.escape(product["store_link"])}">
{html.escape(product["seller"])}</a></p>
<p class="contact">{html.escape(product.get("contact", ""))}</p>
<img src="/img/{item}-main.png" alt="product photo" width="200" height="200">{lazy}</body></html>"""


REMOVED_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Item unavailable</title></head>
<body><h1>Sorry, this item is no longer available</h1><p>This listing was ended by the seller.</p></body></html>"""
PROBING_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Probe</title></head><body>
<h1>A page that reaches for private addresses</h1>
<img src="http://169.254.169.254/latest/meta-data/" alt="metadata"><img src="http://10.0.0.1/" alt="private">
<script src="http://127.0.0.2:9/secret.js"></script></body></html>"""


class Marketplace:
    """The fake marketplace: ``start()`` serves it on 127.0.0.1 in a thread; ``url(path)`` gives addresses."""

    def __init__(self, *, port: int = 0, tls: ssl.SSLContext | None = None, host: str = "127.0.0.1"):
        self.removed: set[str] = set()
        self.hits: list[str] = []
        self.server = ThreadingHTTPServer((host, port), self._handler())
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.scheme = "https" if tls else "http"
        self.host = host
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> Marketplace:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str) -> str:
        return f"{self.scheme}://{self.host}:{self.port}{path}"

    def item_url(self, platform: str, item: str) -> str:
        return self.url(f"/{platform}/item/{item}.html")

    def take_down(self, item: str) -> None:
        self.removed.add(item)

    def restore(self, item: str) -> None:
        self.removed.discard(item)

    def _handler(self):
        market = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):
                pass

            def do_GET(self):
                market.hits.append(self.path)
                parts = self.path.split("?")[0].strip("/").split("/")
                if parts[:1] == ["_control"] and len(parts) == 3:
                    (market.take_down if parts[1] == "down" else market.restore)(parts[2])
                    return self._send(200, "text/plain", f"{parts[2]} is {parts[1]}\n".encode())
                if len(parts) == 3 and parts[0] in PRODUCTS and parts[1] == "item":
                    item = parts[2].removesuffix(".html")
                    if item in market.removed:
                        return self._send(404, "text/html; charset=utf-8", REMOVED_PAGE.encode())
                    return self._send(200, "text/html; charset=utf-8", product_page(parts[0], item).encode())
                if parts[0] == "unavailable":
                    return self._send(200, "text/html; charset=utf-8", REMOVED_PAGE.encode())
                if parts[0] == "search":
                    return self._send(200, "text/html; charset=utf-8", b"<!doctype html><title>Search</title>")
                if parts[0] == "hop" and len(parts) == 3:  # /hop/<n>/<platform>: n redirects, then an item
                    left, platform = int(parts[1]), parts[2]
                    target = f"/hop/{left - 1}/{platform}" if left > 1 else f"/{platform}/item/hopped.html"
                    return self._send(302, "text/plain", b"", location=target)
                if parts[0] == "probe":
                    return self._send(200, "text/html; charset=utf-8", PROBING_PAGE.encode())
                if parts[0] == "img":
                    return self._send(200, "image/png", PIXEL)
                if parts[0] == "static":
                    return self._send(200, "text/css", b"body{font-family:sans-serif;margin:2em}")
                return self._send(404, "text/html; charset=utf-8", b"<!doctype html><title>Not found</title>")

            def _send(self, status: int, content_type: str, body: bytes, location: str = "") -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                if location:
                    self.send_header("Location", location)
                self.end_headers()
                self.wfile.write(body)

        return Handler
