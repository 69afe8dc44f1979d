/// The pages' one small stylesheet, served at `/ui/app.css`.
enum Stylesheet {
    static let css = """
        :root{--ink:#1b1f24;--muted:#5b6470;--line:#d8dde3;--soft:#f4f6f8;--accent:#2563eb;--ok:#15803d;--bad:#b91c1c}
        *{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);background:#fff}
        header{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;padding:.75rem 1.25rem;border-bottom:1px solid var(--line);background:var(--soft)}
        header .brand{font-weight:700;color:var(--ink);text-decoration:none}header nav a{margin-right:1rem}
        main{max-width:1200px;margin:0 auto;padding:1.25rem}
        a{color:var(--accent)}h1{font-size:1.5rem;margin:.25rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
        .figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.75rem;margin:1rem 0}
        .figure{border:1px solid var(--line);border-radius:.5rem;padding:.75rem}.figure b{display:block;font-size:1.6rem}
        .figure span{color:var(--muted);font-size:.85rem}
        table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid var(--line);padding:.4rem .5rem;text-align:left;vertical-align:top}
        th a{color:inherit}.scroll{overflow-x:auto}
        .pass{color:var(--ok);font-weight:600}.fail{color:var(--bad);font-weight:600}.muted{color:var(--muted)}
        .notice{border-left:4px solid var(--accent);background:var(--soft);padding:.5rem .75rem;margin:1rem 0}
        .error{border-left:4px solid var(--bad);background:#fef2f2;padding:.5rem .75rem;margin:1rem 0}
        form.stack label{display:block;margin:.75rem 0 .25rem;font-weight:600}
        input[type=text],input[type=password],textarea,select{width:100%;max-width:36rem;font:inherit;padding:.4rem;border:1px solid var(--line);border-radius:.3rem}
        button{font:inherit;padding:.45rem 1rem;border:1px solid var(--accent);background:var(--accent);color:#fff;border-radius:.3rem;cursor:pointer}
        button.secondary{background:#fff;color:var(--accent)}form.inline{display:inline}
        .chart{width:100%;max-width:720px;height:auto;border:1px solid var(--line);border-radius:.5rem;background:#fff}
        .chart .grid{stroke:#eef1f4}.chart .axis{stroke:#9aa4af}.chart text{font-size:11px;fill:#5b6470}.chart .legend{font-size:12px;fill:#1b1f24}
        .pager{margin:.75rem 0}.pager a{margin-right:1rem}
        @media (max-width:640px){main{padding:.75rem}th,td{padding:.3rem}.figure b{font-size:1.3rem}}
        """
}
