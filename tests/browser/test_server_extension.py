"""The Jupyter server extension (codeflow_widget/server/) in the real servers of this tier.

Installed with the package, it turns Nagle's algorithm off on every kernel websocket: without
it each message after the first of a kernel's answer waited up to 40 ms for the browser's
delayed acknowledgement (a comm round trip here: 52 ms median with it on, 9–11 ms off; the
figures are bench_play's, not this test's). The extension reads the flag back from the real
socket after setting it and logs it per connection; this test opens a notebook in JupyterLab
and in Notebook 7 and finds that line for the notebook's own kernel, with the flag on.
"""

from __future__ import annotations

import pytest

from .notebook_page import open_notebook, write_notebook

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("host", ["lab", "notebook7"])
def test_the_notebooks_kernel_websocket_sends_each_message_without_delay(host, request, page):
    server = request.getfixturevalue(host)
    name = write_notebook(server, f"nodelay-{host}.ipynb", ["1 + 1"])
    open_notebook(page, server, name)
    kernels = [s["kernel"]["id"] for s in server.api("sessions") if s["path"].endswith(name)]
    log = server.log.read_text(encoding="utf-8")
    assert "codeflow_widget: kernel websockets send without delay (TCP_NODELAY)" in log
    assert len(kernels) == 1, kernels
    assert f"codeflow_widget: kernel {kernels[0]} websocket TCP_NODELAY=1" in log, log[-3000:]
