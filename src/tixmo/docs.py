"""Swagger UI at ``/api/v1/docs``, with its assets served by the API itself (no CDN)."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

from tixmo.errors import PROBLEM_CONTENT_TYPE


def _problem_json_only(app: FastAPI) -> None:
    """Errors are sent as application/problem+json only; FastAPI also lists application/json for any
    response declared with a ``model``. Drop that from 4xx/5xx responses once, when the document is built."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = build()
        for item in document.get("paths", {}).values():
            for operation in item.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status)[0] in "45" and PROBLEM_CONTENT_TYPE in content:
                        content.pop("application/json", None)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def install_docs(app: FastAPI, prefix: str) -> None:
    _problem_json_only(app)
    static_dir = resources.files("fastapi_offline").joinpath("static")
    static_url = f"{prefix}/docs/static"
    app.mount(static_url, StaticFiles(directory=str(static_dir)), name="docs-static")
    openapi_url = app.openapi_url or f"{prefix}/openapi.json"

    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} — docs",
            swagger_js_url=f"{static_url}/swagger-ui-bundle.js",
            swagger_css_url=f"{static_url}/swagger-ui.css",
            swagger_favicon_url=f"{static_url}/favicon.png",
            swagger_ui_parameters={"persistAuthorization": True, "displayRequestDuration": True},
        )

    app.add_api_route(f"{prefix}/docs", swagger_ui, methods=["GET"], include_in_schema=False)
