import Hummingbird
import NIOCore

/// Escapes text for HTML content and attribute values (the same rules as SVG's).
func escape(_ text: String) -> String {
    SVGChart.escape(text)
}

/// A small self-contained HTML page with a strict Content-Security-Policy (the consent pages).
func html(title: String, body: String, status: HTTPResponse.Status = .ok) -> Response {
    let page = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) — Rapport</title>
        <style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
        button{font:inherit;padding:.5rem 1rem;margin-right:.5rem}textarea{width:100%;font:inherit}</style>
        </head><body>\(body)</body></html>
        """
    return Response(
        status: status,
        headers: [
            .contentType: "text/html; charset=utf-8",
            .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            .init("X-Content-Type-Options")!: "nosniff",
            .init("Referrer-Policy")!: "no-referrer",
        ],
        body: .init(byteBuffer: ByteBuffer(string: page)))
}
