"""Swagger UI at ``/api/v1/docs``, with its assets served by the API itself (no CDN)."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse


def install_docs(app: FastAPI, prefix: str) -> None:
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
