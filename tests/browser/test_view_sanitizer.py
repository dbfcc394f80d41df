"""The view's own sanitizer (DOMPurify, vendored) against hostile HTML, in real Chromium.

The kernel renders model text with raw HTML off, so hostile markup never reaches the view in
normal use; this test removes that first wall and hands hostile HTML straight to the view as a
completed phase's ``output_html``, then inspects what the view put into the page.
"""

from __future__ import annotations

import pytest

from .view_harness import initial_state, mount_view

pytestmark = pytest.mark.browser

CANARY = "http://127.0.0.1:9"  # nothing listens there: any request to it is a leak
HOSTILE = [
    '<a href="javascript:window.__xss=1">js</a>',
    '<a href="JaVaScRiPt:window.__xss=1">mixed case</a>',
    '<a href=" &#106;avascript:window.__xss=1">entity</a>',
    '<a href="jav&#x09;ascript:window.__xss=1">tab</a>',
    '<a href="data:text/html,<script>window.__xss=1</script>">data</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    f'<a ping="{CANARY}/ping" href="https://example.com/ok">ping</a>',
    f'<table background="{CANARY}/bg.png"><tr><td background="javascript:window.__xss=1">bg</td></tr></table>',
    f'<map name="m"><area shape="rect" coords="0,0,99,99" href="javascript:window.__xss=1"></map><img usemap="#m" src="{CANARY}/map.png">',
    '<iframe srcdoc="&lt;script&gt;parent.__xss=1&lt;/script&gt;"></iframe>',
    '<object data="javascript:window.__xss=1"></object><embed src="javascript:window.__xss=1">',
    '<svg><a xlink:href="javascript:window.__xss=1"><text x="0" y="15">svg link</text></a></svg>',
    '<svg><animate onbegin="window.__xss=1" attributeName="x" dur="1s"/><set attributeName="href" to="javascript:window.__xss=1"/></svg>',
    '<svg><foreignObject><img src="x" onerror="window.__xss=1"></foreignObject><script>window.__xss=1</script></svg>',
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=1"></style></mglyph></table></mtext></math>',
    '<math href="javascript:window.__xss=1"><mi xlink:href="javascript:window.__xss=1">x</mi></math>',
    '<form action="javascript:window.__xss=1"><button formaction="javascript:window.__xss=1">b</button><input formaction="javascript:window.__xss=1"></form>',
    '<div style="background:url(javascript:window.__xss=1)">styled</div><p onclick="window.__xss=1">click</p>',
    '<base href="javascript:/"><meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
    f'<link rel="stylesheet" href="{CANARY}/x.css"><img src="{CANARY}/remote.png"><video poster="{CANARY}/p.png"><source src="{CANARY}/v.mp4"></video>',
    '<blockquote cite="javascript:window.__xss=1">quote</blockquote><q cite="javascript:x">q</q>',
    '<details open ontoggle="window.__xss=1"><summary>s</summary></details>',
    '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>"></p></noscript>',
    '<a href="mailto:teacher@example.com">mail</a><a href="#top">anchor</a>',
]
BENIGN = (
    '<h2>规格</h2><div class="cf-code"><pre><span class="k">def</span> '
    '<span class="nf">main</span>():</pre></div><a href="https://example.com/ok">ok</a>'
)
BANNED_TAGS = (
    "script,style,iframe,frame,object,embed,link,meta,base,form,input,button,img,svg,math,"
    "video,audio,source,area,map,details,noscript,animate,set,foreignObject"
)
FINDINGS = """
(root) => {
  const bad = [];
  for (const el of root.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on") || ["style", "ping", "background", "srcdoc", "formaction", "action",
          "xlink:href", "cite", "poster", "usemap", "src", "data", "to"].includes(name)) {
        bad.push(`${el.tagName} ${name}=${attr.value}`);
      }
      if (name === "href" && !/^(https?:|mailto:|#)/i.test(attr.value.trim())) bad.push(`${el.tagName} href=${attr.value}`);
    }
  }
  return bad;
}
"""


def test_the_views_sanitizer_keeps_the_markup_it_needs_and_drops_every_hostile_vector(page):
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    state = initial_state()
    mount_view(page, state)
    phases = state["phases"]
    phases["specify"] = {
        **phases["specify"],
        "status": "completed",
        "output": "x",
        "output_html": BENIGN + "".join(HOSTILE),
    }
    page.evaluate("(p) => window.__cfSet('phases', p)", phases)
    rendered = page.locator('.cf-phase[data-phase="specify"] .cf-rendered')
    rendered.locator("h2").wait_for()

    # What the view needs survives: headings, Pygments spans, safe links (opened safely).
    assert rendered.locator(".cf-code pre span.k").inner_text() == "def"
    link = rendered.locator('a[href="https://example.com/ok"]').first
    assert link.get_attribute("rel") == "noopener noreferrer nofollow"
    assert link.get_attribute("target") == "_blank"
    assert rendered.locator('a[href="mailto:teacher@example.com"]').count() == 1

    # Nothing hostile is left: no dangerous element, attribute or URL scheme.
    assert rendered.locator(BANNED_TAGS).count() == 0
    assert rendered.evaluate(FINDINGS) == []
    # Nothing ran while it was put into the page, and nothing was fetched from the canary.
    assert page.evaluate("() => window.__xss") is None and not dialogs
    assert not [url for url in requests if url.startswith(CANARY)], requests
