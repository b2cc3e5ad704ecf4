"""The portal loads nothing from another host, whatever a community's theme asks for."""

from __future__ import annotations

import pytest

from generator.cli import main
from generator.render.remoteloads import remote_hosts

LOADS = [
    ('<script src="https://tracker.example/t.js"></script>', "tracker.example"),
    ("<img src='//cdn.example/a.png' alt=''>", "cdn.example"),
    ('<link rel="stylesheet" href="https://fonts.example/css?family=x">', "fonts.example"),
    ('<link href="//fonts.example/f.woff2" rel="preload" as="font">', "fonts.example"),
    ('<link rel="icon shortcut" href=https://icons.example/i.ico>', "icons.example"),
    ('<iframe src="https://video.example/embed/1"></iframe>', "video.example"),
    ('<img srcset="a.png 1x, https://img.example/b.png 2x" src="a.png">', "img.example"),
    ('<a href="../about/" ping="https://count.example/p">About</a>', "count.example"),
    ('<base href="https://elsewhere.example/">', "elsewhere.example"),
    ('<svg><image xlink:href="https://pics.example/p.svg"/></svg>', "pics.example"),
    ('<div style="background: url(\'https://bg.example/b.png\')"></div>', "bg.example"),
    ("<style>@import 'https://styles.example/s.css';</style>", "styles.example"),
    ("<script>(function(){var s=document.createElement('script');s.src='https://stats.example/a.js';"
     "document.head.appendChild(s)})();</script>", "stats.example"),
]
QUIET = [
    '<a href="https://elsewhere.example/">a link only navigates</a>',
    '<link rel="me" href="https://social.example/@barrio">',
    '<link rel="alternate" type="application/atom+xml" href="https://barrio.example/feed.xml">',
    '<link rel="canonical" href="https://barrio.example/members/">',
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg>',
    "<p>Write url(https://fonts.example/x) in your style sheet and &lt;script src=\"https://t.example\"&gt;.</p>",
    '<script src="../pagefind/pagefind-ui.js"></script><img src="assets/logo.svg" alt="">',
    '<link rel="stylesheet" href="https://barrio.example/assets/style.css">',  # the site's own host
    "<script>// a comment, and a division: var half = 1 / 2; // another\nnew PagefindUI({element: '#search'});</script>",
]


@pytest.mark.parametrize("html, host", LOADS)
def test_what_loads_from_another_host_is_found(html, host):
    assert remote_hosts(f"<body>{html}</body>".encode(), "barrio.example") == [host]


@pytest.mark.parametrize("html", QUIET)
def test_links_text_and_own_files_load_nothing_from_elsewhere(html):
    assert remote_hosts(f"<body>{html}</body>".encode(), "barrio.example") == []


def test_style_sheets_are_read_as_css():
    sheet = b"@font-face { src: url(https://fonts.example/f.woff2); }\nbody { background: url(img/b.png); }"
    assert remote_hosts(sheet, css=True) == ["fonts.example"]


@pytest.mark.parametrize("files, where", [
    ({"theme/base.html": '<!doctype html><html><head><script src="https://tracker.example/t.js"></script></head>'
                         "<body>{% block main %}{% endblock %}</body></html>\n"}, "made with the template"),
    ({"theme/assets/extra.css": "@import url('//fonts.example/css');\n"}, "assets/extra.css loads"),
])
def test_a_theme_loading_from_elsewhere_stops_the_build_before_writing(community, tmp_path, capsys, files, where):
    root = community()
    out = tmp_path / "site"
    assert main(["build", str(root), "-o", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    community(files)
    assert main(["build", str(root), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert where in err and "another host: the portal loads nothing from elsewhere" in err and "Traceback" not in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
