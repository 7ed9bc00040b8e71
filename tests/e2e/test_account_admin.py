"""The Account and Users & audit pages in Debian's Chromium: a data worker makes an API token,
sees it once, uses it from a script (httpx) and revokes it; a user changes their password;
an administrator creates a user, changes their role and finds both in the audit log, next to
a highlighted read of personal data; anyone else gets the administrators-only refusal.
Screenshots go to test-artifacts/. All accounts and data are synthetic."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e


def loaded(page: Any, value: str = "true") -> None:
    page.wait_for_function("(v) => document.body.dataset.loaded === v", arg=value)


def call(page: Any, method: str, path: str, body: Any = None) -> Any:
    """A JSON request from the page, with its session cookie and CSRF token."""
    return page.evaluate(
        """async ([method, path, body]) => {
          const csrf = document.cookie.split('; ').find(c => c.startsWith('minewatch_csrf='))
            .slice('minewatch_csrf='.length);
          const r = await fetch(path, {method, headers: {'Content-Type': 'application/json',
            'X-CSRF-Token': csrf}, body: body === null ? undefined : JSON.stringify(body)});
          if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
          return r.json(); }""",
        [method, path, body],
    )


def me_with(server: Any, secret: str) -> httpx.Response:
    return httpx.get(f"{server.url}/api/auth/me", headers={"Authorization": f"Bearer {secret}"})


def test_worker_makes_a_token_uses_it_and_revokes_it(
    page: Any, password: str, server: Any, screenshot: Any, sign_in: Any
) -> None:
    sign_in(page, "worker", password, "/account.html")
    loaded(page)
    assert "ORG-DEMO" in page.text_content("#who")
    assert "12 characters" in page.text_content("#password-rules")
    page.click("#t-create")  # no name: refused inline, nothing made
    assert "Name the token" in page.text_content("#t-label-error")
    page.fill("#t-label", "E2E script")
    page.select_option("#t-expiry", "30")
    page.click("#t-create")
    page.wait_for_selector("#new-token-value")
    secret = page.input_value("#new-token-value")
    assert secret.startswith("mw_")
    assert "shown only once" in page.text_content("#new-token")
    assert page.evaluate("document.activeElement.id") == "new-token-value"
    screenshot(page, "06-account-token", full_page=True)

    assert me_with(server, secret).json()["username"] == "worker"

    page.click("#dismiss-token")  # gone from the page for good
    assert page.locator("#new-token-value").count() == 0
    assert secret not in page.content()
    row = page.locator("#tokens tbody tr", has_text="E2E script")
    assert row.get_attribute("data-state") == "active"
    assert secret not in page.evaluate("fetch('/api/auth/tokens').then(r => r.text())")
    row.get_by_role("button", name="Revoke token E2E script").click()
    assert page.evaluate("document.activeElement.textContent") == "Yes, revoke"
    page.keyboard.press("Enter")  # the confirmation works from the keyboard
    page.wait_for_selector("#tokens tbody tr[data-state='revoked']")
    assert "is revoked" in page.text_content("#status")

    assert me_with(server, secret).status_code == 401


def test_a_user_changes_their_password(page: Any, password: str, sign_in: Any) -> None:
    sign_in(page, "admin", password, "/admin.html")
    loaded(page)
    user = {"username": "e2e-changer", "password": "synthetic first passphrase", "role": "reviewer"}
    assert call(page, "POST", "/api/users", user)["username"] == "e2e-changer"
    page.click("#logout")
    page.wait_for_url("**/login.html")

    sign_in(page, "e2e-changer", "synthetic first passphrase", "/account.html")
    loaded(page)
    page.fill("#p-current", "not my password at all")
    page.fill("#p-new", "synthetic second passphrase")
    page.fill("#p-confirm", "synthetic second passphrase!")
    page.click("#p-submit")
    assert "differ" in page.text_content("#p-confirm-error")  # checked before sending
    page.fill("#p-confirm", "synthetic second passphrase")
    page.click("#p-submit")
    page.wait_for_function("document.getElementById('p-current-error').textContent !== ''")
    assert "not your current password" in page.text_content("#p-current-error")
    assert page.get_attribute("#p-current", "aria-invalid") == "true"
    page.fill("#p-current", "synthetic first passphrase")
    page.click("#p-submit")
    page.wait_for_function("document.getElementById('status').dataset.kind === 'ok'")
    # still signed in here, with a fresh session and CSRF token: a change still works
    assert page.evaluate("fetch('/api/auth/me').then(r => r.json())")["username"] == "e2e-changer"
    page.click("#logout")
    page.wait_for_url("**/login.html")
    sign_in(page, "e2e-changer", "synthetic second passphrase", "/account.html")


def test_admin_creates_a_user_changes_the_role_and_audits_it(
    page: Any, password: str, screenshot: Any, sign_in: Any
) -> None:
    sign_in(page, "admin", password, "/admin.html")
    loaded(page)
    assert page.locator("#site-header a", has_text="Users & audit").count() == 1
    page.fill("#u-username", "e2e-newcomer")
    page.fill("#u-password", "too short")
    page.select_option("#u-role", "data_worker")
    page.fill("#u-org", "ORG-DEMO")
    page.click("#u-create")
    page.wait_for_function("document.getElementById('u-password-error').textContent !== ''")
    assert "at least 12" in page.text_content("#u-password-error")  # the server's rule
    page.fill("#u-password", "synthetic newcomer passphrase")
    page.click("#u-create")
    row = page.locator("tr[data-username='e2e-newcomer']")
    row.wait_for()
    assert row.get_by_label("Role of e2e-newcomer").input_value() == "data_worker"
    row.get_by_label("Role of e2e-newcomer").select_option("reviewer")
    row.get_by_role("button", name="Save e2e-newcomer").click()
    page.wait_for_function(
        "document.querySelector(\"tr[data-username='e2e-newcomer'] select\").value === 'reviewer'"
        " && document.getElementById('status').textContent.includes('e2e-newcomer saved')"
    )

    # The last administrator cannot be demoted: the server's refusal, in the row.
    admin_row = page.locator("tr[data-username='admin']")
    admin_row.get_by_label("Role of admin").select_option("reviewer")
    admin_row.get_by_role("button", name="Save admin").click()
    page.wait_for_function("document.getElementById('status').dataset.kind === 'error'")
    assert "last active administrator" in admin_row.text_content()
    assert admin_row.get_by_label("Role of admin").input_value() == "admin"  # as stored

    # A read of victims' personal data (the admin has the grant) is shown distinctly.
    victim = {
        "kind": "victim",
        "date_of_information": "2021-03-02",
        "changes": {"name": "Synthetic Person", "victim_type": "civilian"},
    }
    # A draft only: an approved victim would change the other tests' casualty counts.
    code = call(page, "POST", "/api/reports", victim)["code"]
    assert call(page, "GET", f"/api/reports/{code}")["changes"]["name"] == "Synthetic Person"
    page.fill("#a-about", "user:e2e-newcomer")
    page.click("#a-apply")
    page.wait_for_function(
        "document.querySelectorAll('#audit-table tbody tr').length === 2"
        " && document.getElementById('a-page').textContent.startsWith('Entries 1')"
    )
    actions = page.eval_on_selector_all(
        "#audit-table tbody tr", "rows => rows.map(r => r.dataset.action)"
    )
    assert actions == ["update_user", "create_user"]  # newest first
    assert "Role: Reviewer" in page.text_content("#audit-table tbody tr:first-child")

    page.fill("#a-about", "")
    page.select_option("#a-action", "read_personal_data")
    page.click("#a-apply")
    page.wait_for_selector("#audit-table tr.personal-read")
    assert "personal data read" in page.text_content("#audit-table tr.personal-read")
    assert page.locator("#audit-form input[type=date]").count() == 0  # ISO boxes, no picker
    page.fill("#a-since", "2030-01-02")
    page.fill("#a-until", "2030-01-01")
    page.click("#a-apply")
    assert "before the start" in page.text_content("#a-until-error")
    page.fill("#a-since", "")
    page.fill("#a-until", "")
    page.select_option("#a-action", "")
    page.click("#a-apply")
    page.wait_for_function("document.querySelectorAll('#audit-table tbody tr').length > 2")
    assert page.locator("#audit-table tbody tr").first.get_attribute("data-action") == (
        "read_personal_data"
    )
    screenshot(page, "07-users-audit", full_page=True)

    # Paging: enough entries for a second page (each token made is one entry).
    for n in range(55):
        call(page, "POST", "/api/auth/tokens", {"label": f"synthetic {n}", "valid_days": 1})
    page.click("#a-apply")
    page.wait_for_function("document.querySelectorAll('#audit-table tbody tr').length === 50")
    first = page.locator("#audit-table tbody tr").first.get_attribute("id")
    assert page.is_disabled("#a-prev") and page.is_enabled("#a-next")
    page.click("#a-next")
    page.wait_for_function("document.getElementById('a-page').textContent.startsWith('Entries 51')")
    assert page.is_enabled("#a-prev")
    older = page.locator("#audit-table tbody tr").first.get_attribute("id")
    assert int(older.split("-")[1]) < int(first.split("-")[1])  # older entries, lower ids
    page.click("#a-prev")
    page.wait_for_function("document.getElementById('a-page').textContent.startsWith('Entries 1–')")
    assert page.locator("#audit-table tbody tr").first.get_attribute("id") == first


@pytest.mark.parametrize("username", ["worker", "reviewer"])
def test_others_get_the_administrators_only_refusal(
    page: Any, password: str, screenshot: Any, sign_in: Any, username: str
) -> None:
    sign_in(page, username, password, "/admin.html")
    loaded(page, "refused")
    refusal = page.text_content("#admin-refusal")
    assert "administrators only" in refusal and "may not list users" in refusal  # the 403
    assert page.is_hidden("#admin-body")
    assert page.locator("#site-header a", has_text="Users & audit").count() == 0
    if username == "worker":
        screenshot(page, "08-admin-refused")
