"""A small fake of the Stripe REST API, served over real HTTP for the real ``stripe`` SDK.

It speaks the subset TixMo uses — ``POST /v1/payment_intents``, ``GET /v1/payment_intents/{id}``,
``POST /v1/payment_intents/{id}/cancel``, ``POST /v1/refunds``, ``GET /v1/refunds/{id}``, ``POST
/v1/customers``, ``GET /v1/customers/{id}/payment_methods``, ``POST /v1/payment_methods/{id}/detach`` —
with Stripe's form encoding, bearer-key auth, error
envelope and idempotency keys (the same key and parameters replay the first answer; other parameters are
an ``idempotency_error``). Tests make a payment succeed (``succeed``), have refunds answered ``pending``
and settle them later (``refunds_pending``, ``settle_refund``), inject a failure into the next call
(``fail_next`` with a status, or a hang that the client times out on) and count the calls that created
something. 3-D Secure, a bank's slow confirmation, a cancellation and disputes are played with
``require_action``, ``processing``, ``cancel`` and ``dispute`` (each returns the object a webhook
carries); ``save_card`` puts a card on a customer as a payment with ``setup_future_usage`` would. Like
Stripe since API version 2022-11-15, a charge does not list its refunds.
"""

from __future__ import annotations

import asyncio
import hashlib
import socket
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

SECRET_KEY = "sk_test_tixmo_fake"


def _nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """``metadata[order_id]=x`` → ``{"metadata": {"order_id": "x"}}`` (Stripe's form encoding)."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        target = result
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return result


def _error(
    status: int, kind: str, message: str, code: str | None = None, param: str | None = None
) -> JSONResponse:
    error = {"type": kind, "message": message, "code": code}
    if param is not None:
        error["param"] = param
    return JSONResponse({"error": error}, status_code=status)


@dataclass
class Failure:
    route: str  # e.g. "POST /v1/refunds"
    status: int | None  # None: hang until released (the client times out)
    after_effect: bool = False  # hang after doing the work (the answer is lost, not the action)
    kind: str = "api_error"  # Stripe's error ``type``, e.g. "invalid_request_error"
    message: str = "Something went wrong on Stripe's end."
    code: str | None = None
    param: str | None = None


@dataclass
class FakeStripe:
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    methods: dict[str, dict[str, Any]] = field(default_factory=dict)  # payment methods, by id
    created: Counter[str] = field(default_factory=Counter)  # objects made: "payment_intent", "refund"
    calls: Counter[str] = field(default_factory=Counter)  # requests received per route
    _idempotency: dict[str, tuple[str, int, dict[str, Any]]] = field(default_factory=dict)
    _failures: list[Failure] = field(default_factory=list)
    _release: asyncio.Event = field(default_factory=asyncio.Event)
    refund_status: str = "succeeded"  # what a new refund is answered with ("pending": settled later)
    url: str = ""

    def reset(self) -> None:
        self.intents.clear()
        self.refunds.clear()
        self.customers.clear()
        self.methods.clear()
        self.created.clear()
        self.calls.clear()
        self._idempotency.clear()
        self._failures.clear()
        self._release.set()
        self._release = asyncio.Event()
        self.refund_status = "succeeded"

    # ------------------------------------------------------------------------------------ test controls

    def fail_next(
        self,
        route: str,
        status: int = 500,
        *,
        kind: str = "api_error",
        message: str = "Something went wrong on Stripe's end.",
        code: str | None = None,
        param: str | None = None,
    ) -> None:
        """The next call to ``route`` answers ``status`` with Stripe's error envelope (``kind`` is the
        error's ``type``: ``api_error``, ``invalid_request_error``, ``card_error``, …)."""
        self._failures.append(Failure(route, status, False, kind, message, code, param))

    def hang_next(self, route: str, *, after_effect: bool = False) -> None:
        """The next call never answers (until the test ends): the SDK's timeout fires. ``after_effect``:
        Stripe did the work (created the intent or the refund) and only the answer is lost."""
        self._failures.append(Failure(route, None, after_effect))

    def succeed(
        self, intent_id: str, *, amount_received: int | None = None, currency: str | None = None
    ) -> dict[str, Any]:
        """The buyer paid: the intent is ``succeeded``; returns it as a webhook's ``data.object``."""
        intent = self.intents[intent_id]
        intent["status"] = "succeeded"
        intent["amount_received"] = intent["amount"] if amount_received is None else amount_received
        if currency is not None:
            intent["currency"] = currency
        intent["latest_charge"] = f"ch_{intent_id[3:]}"
        return dict(intent)

    def refunds_pending(self) -> None:
        """New refunds are answered ``pending`` (as Stripe does for some payment methods) until
        ``settle_refund`` says how they ended."""
        self.refund_status = "pending"

    def settle_refund(self, refund_id: str, status: str = "succeeded", **fields: Any) -> dict[str, Any]:
        """A pending refund ends ``succeeded``, ``failed`` or ``canceled``; returns the refund as a
        ``refund.updated`` webhook's ``data.object``."""
        refund = self.refunds[refund_id]
        refund["status"] = status
        refund.update(fields)
        return dict(refund)

    def fail_attempt(self, intent_id: str, message: str = "Your card was declined.") -> dict[str, Any]:
        intent = self.intents[intent_id]
        intent["status"] = "requires_payment_method"
        intent["last_payment_error"] = {"type": "card_error", "code": "card_declined", "message": message}
        return dict(intent)

    def decline(
        self,
        intent_id: str,
        decline_code: str = "insufficient_funds",
        message: str = "Your card has insufficient funds.",
    ) -> dict[str, Any]:
        """An attempt declined by the issuer (``decline_code``), as ``payment_intent.payment_failed``."""
        intent = self.intents[intent_id]
        intent["status"] = "requires_payment_method"
        intent["last_payment_error"] = {
            "type": "card_error",
            "code": "card_declined",
            "decline_code": decline_code,
            "message": message,
            "payment_method": {"id": f"pm_{uuid.uuid4().hex[:24]}", "type": "card"},
        }
        return dict(intent)

    def require_action(self, intent_id: str) -> dict[str, Any]:
        """The card needs 3-D Secure: ``requires_action`` with a redirect ``next_action``."""
        intent = self.intents[intent_id]
        intent["status"] = "requires_action"
        intent["next_action"] = {
            "type": "redirect_to_url",
            "redirect_to_url": {
                "url": f"https://hooks.stripe.com/3d_secure_2/hosted?payment_intent={intent_id}",
                "return_url": "https://shop.example.com/return",
            },
        }
        return dict(intent)

    def processing(self, intent_id: str) -> dict[str, Any]:
        intent = self.intents[intent_id]
        intent["status"] = "processing"
        intent["next_action"] = None
        return dict(intent)

    def cancel(self, intent_id: str, reason: str = "abandoned") -> dict[str, Any]:
        """Stripe (or someone in the dashboard) canceled the intent; it can no longer charge."""
        intent = self.intents[intent_id]
        intent["status"] = "canceled"
        intent["cancellation_reason"] = reason
        intent["next_action"] = None
        return dict(intent)

    def dispute(
        self,
        intent_id: str,
        *,
        amount: int | None = None,
        reason: str = "fraudulent",
        status: str = "needs_response",
        dispute_id: str | None = None,
        due_by: int | None = None,
    ) -> dict[str, Any]:
        """A dispute object as ``charge.dispute.*`` carries it."""
        intent = self.intents[intent_id]
        return {
            "id": dispute_id or f"dp_{uuid.uuid4().hex[:24]}",
            "object": "dispute",
            "amount": intent["amount_received"] if amount is None else amount,
            "currency": intent["currency"],
            "charge": intent["latest_charge"],
            "payment_intent": intent_id,
            "reason": reason,
            "status": status,
            "evidence_details": {"due_by": due_by if due_by is not None else int(time.time()) + 7 * 86400},
            "created": int(time.time()),
        }

    def save_card(
        self, customer_id: str, *, brand: str = "visa", last4: str = "4242", exp: tuple[int, int] = (12, 2030)
    ) -> str:
        """A card kept on the customer (what a payment with ``setup_future_usage`` leaves)."""
        method_id = f"pm_{uuid.uuid4().hex[:24]}"
        self.methods[method_id] = {
            "id": method_id,
            "object": "payment_method",
            "type": "card",
            "customer": customer_id,
            "billing_details": {"email": "buyer@example.com", "name": "Buyer"},
            "card": {
                "brand": brand,
                "last4": last4,
                "exp_month": exp[0],
                "exp_year": exp[1],
                "fingerprint": "Xt5EWLLDS7FJjR1c",
                "funding": "credit",
                "country": "US",
            },
            "created": int(time.time()),
        }
        return method_id

    def charge(self, intent_id: str) -> dict[str, Any]:
        """The intent's charge as ``charge.refunded`` carries it: the cumulative ``amount_refunded``
        (pending refunds count, failed and canceled ones do not), and no ``refunds`` list (Stripe's API
        dropped it in 2022-11-15)."""
        intent = self.intents[intent_id]
        refunded = sum(
            r["amount"]
            for r in self.refunds.values()
            if r["payment_intent"] == intent_id and r["status"] in ("pending", "succeeded")
        )
        return {
            "id": intent["latest_charge"],
            "object": "charge",
            "payment_intent": intent_id,
            "amount": intent["amount_received"],
            "amount_refunded": refunded,
            "currency": intent["currency"],
            "refunded": refunded >= intent["amount_received"],
        }

    def refund_in_dashboard(self, intent_id: str, amount: int) -> None:
        refund_id = f"re_{uuid.uuid4().hex[:24]}"
        self.refunds[refund_id] = self._refund_object(refund_id, intent_id, amount, {})
        self.refunds[refund_id]["status"] = "succeeded"

    # -------------------------------------------------------------------------------------- the API

    def _take(self, route: str) -> Failure | None:
        for failure in self._failures:
            if failure.route == route:
                self._failures.remove(failure)
                return failure
        return None

    async def _gate(self, route: str) -> tuple[JSONResponse | None, Failure | None]:
        """A failure to answer now, or one to apply after the work (a lost answer)."""
        self.calls[route] += 1
        failure = self._take(route)
        if failure is None or failure.after_effect:
            return None, failure
        if failure.status is None:
            await self._release.wait()
            return _error(500, "api_error", "Released after a hang."), None
        return _error(failure.status, failure.kind, failure.message, failure.code, failure.param), None

    async def _lose_answer(self, failure: Failure | None, response: JSONResponse) -> JSONResponse:
        if failure is not None:
            await self._release.wait()
            return _error(500, "api_error", "Released after a hang.")
        return response

    async def _form(self, request: Request) -> tuple[dict[str, Any], str] | JSONResponse:
        if request.headers.get("authorization") != f"Bearer {SECRET_KEY}":
            return _error(401, "invalid_request_error", "Invalid API Key provided.")
        body = (await request.body()).decode()
        return _nest(parse_qsl(body, keep_blank_values=True)), hashlib.sha256(body.encode()).hexdigest()

    async def _idempotent(self, request: Request, fingerprint: str, make: Any) -> JSONResponse:
        key = request.headers.get("idempotency-key")
        if key is not None and key in self._idempotency:
            stored_fingerprint, status, body = self._idempotency[key]
            if stored_fingerprint != fingerprint:
                return _error(
                    400,
                    "idempotency_error",
                    "Keys for idempotent requests can only be used with the same parameters.",
                )
            return JSONResponse(body, status_code=status, headers={"Idempotent-Replayed": "true"})
        status, body = make()
        if key is not None and status < 500:
            self._idempotency[key] = (fingerprint, status, body)
        return JSONResponse(body, status_code=status)

    async def create_intent(self, request: Request) -> JSONResponse:
        failed, later = await self._gate("POST /v1/payment_intents")
        if failed is not None:
            return failed
        form = await self._form(request)
        if isinstance(form, JSONResponse):
            return form
        params, fingerprint = form

        def make() -> tuple[int, dict[str, Any]]:
            intent_id = f"pi_{uuid.uuid4().hex[:24]}"
            self.created["payment_intent"] += 1
            self.intents[intent_id] = {
                "id": intent_id,
                "object": "payment_intent",
                "amount": int(params["amount"]),
                "amount_received": 0,
                "currency": params["currency"],
                "status": "requires_payment_method",
                "client_secret": f"{intent_id}_secret_{uuid.uuid4().hex[:16]}",
                "metadata": params.get("metadata", {}),
                "customer": params.get("customer"),
                "setup_future_usage": params.get("setup_future_usage"),
                "next_action": None,
                "payment_method_types": ["card"],
                "latest_charge": None,
                "last_payment_error": None,
                "created": int(time.time()),
                "livemode": False,
            }
            return 200, dict(self.intents[intent_id])

        return await self._lose_answer(later, await self._idempotent(request, fingerprint, make))

    async def retrieve_intent(self, request: Request) -> JSONResponse:
        failed, _ = await self._gate("GET /v1/payment_intents")
        if failed is not None:
            return failed
        form = await self._form(request)
        if isinstance(form, JSONResponse):
            return form
        intent = self.intents.get(request.path_params["intent_id"])
        if intent is None:
            return _error(404, "invalid_request_error", "No such payment_intent.", "resource_missing")
        return JSONResponse(intent)

    async def cancel_intent(self, request: Request) -> JSONResponse:
        failed, later = await self._gate("POST /v1/payment_intents/cancel")
        if failed is not None:
            return failed
        form = await self._form(request)
        if isinstance(form, JSONResponse):
            return form
        params, fingerprint = form
        intent_id = request.path_params["intent_id"]

        def make() -> tuple[int, dict[str, Any]]:
            intent = self.intents.get(intent_id)
            if intent is None:
                return 404, {
                    "error": {
                        "type": "invalid_request_error",
                        "code": "resource_missing",
                        "message": "No such payment_intent.",
                    }
                }
            if intent["status"] in ("succeeded", "processing"):
                return 400, {
                    "error": {
                        "type": "invalid_request_error",
                        "code": "payment_intent_unexpected_state",
                        "message": f"You cannot cancel this PaymentIntent because it has a status of "
                        f"{intent['status']}.",
                    }
                }
            intent["status"] = "canceled"
            intent["cancellation_reason"] = params.get("cancellation_reason")
            return 200, dict(intent)

        return await self._lose_answer(later, await self._idempotent(request, fingerprint, make))

    async def create_customer(self, request: Request) -> JSONResponse:
        failed, later = await self._gate("POST /v1/customers")
        if failed is not None:
            return failed
        form = await self._form(request)
        if isinstance(form, JSONResponse):
            return form
        params, fingerprint = form

        def make() -> tuple[int, dict[str, Any]]:
            customer_id = f"cus_{uuid.uuid4().hex[:14]}"
            self.created["customer"] += 1
            self.customers[customer_id] = {
                "id": customer_id,
                "object": "customer",
                "email": params.get("email"),
                "metadata": params.get("metadata", {}),
                "created": int(time.time()),
            }
            return 200, dict(self.customers[customer_id])

        return await self._lose_answer(later, await self._idempotent(request, fingerprint, make))

    async def list_customer_methods(self, request: Request) -> JSONResponse:
        failed, _ = await self._gate("GET /v1/customers/payment_methods")
        if failed is not None:
            return failed
        form = await self._form(request)
        if isinstance(form, JSONResponse):
            return form
        customer_id = request.path_params["customer_id"]
        if customer_id not in self.customers:
            return _error(404, "invalid_request_error", "No such customer.", "resource_missing")
        data = [m for m in self.methods.values() if m["customer"] == customer_id]
        return JSONResponse(
            {
                "object": "list",
                "url": f"/v1/customers/{customer_id}/payment_methods",
                "has_more": False,
                "data": data,
            }
        )

    async def detach_method(self, request: Request) -> JSONResponse:
        failed, _ = await self._gate("POST /v1/payment_methods/detach")
        if failed is not None:
            return failed
        form = await self._form(request)
        if isinstance(form, JSONResponse):
            return form
        method = self.methods.get(request.path_params["method_id"])
        if method is None or method["customer"] is None:
            return _error(404, "invalid_request_error", "No such PaymentMethod.", "resource_missing")
        method["customer"] = None
        return JSONResponse(method)

    def _refund_object(
        self, refund_id: str, intent_id: str, amount: int, metadata: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            "id": refund_id,
            "object": "refund",
            "amount": amount,
            "currency": self.intents[intent_id]["currency"],
            "payment_intent": intent_id,
            "charge": self.intents[intent_id]["latest_charge"],
            "status": self.refund_status,
            "metadata": metadata,
            "created": int(time.time()),
        }

    async def create_refund(self, request: Request) -> JSONResponse:
        failed, later = await self._gate("POST /v1/refunds")
        if failed is not None:
            return failed
        form = await self._form(request)
        if isinstance(form, JSONResponse):
            return form
        params, fingerprint = form

        def make() -> tuple[int, dict[str, Any]]:
            intent = self.intents.get(params.get("payment_intent", ""))
            if intent is None or intent["status"] != "succeeded":
                return 400, {
                    "error": {"type": "invalid_request_error", "message": "This PaymentIntent has no charge."}
                }
            done = sum(
                r["amount"]
                for r in self.refunds.values()
                if r["payment_intent"] == intent["id"] and r["status"] in ("pending", "succeeded")
            )
            amount = int(params.get("amount", intent["amount_received"] - done))
            if amount > intent["amount_received"] - done:
                return 400, {
                    "error": {
                        "type": "invalid_request_error",
                        "code": "charge_already_refunded" if done else "amount_too_large",
                        "message": "Refund amount is greater than the unrefunded amount on the charge.",
                    }
                }
            refund_id = f"re_{uuid.uuid4().hex[:24]}"
            self.created["refund"] += 1
            self.refunds[refund_id] = self._refund_object(
                refund_id, intent["id"], amount, params.get("metadata", {})
            )
            return 200, dict(self.refunds[refund_id])

        return await self._lose_answer(later, await self._idempotent(request, fingerprint, make))

    async def retrieve_refund(self, request: Request) -> JSONResponse:
        failed, _ = await self._gate("GET /v1/refunds")
        if failed is not None:
            return failed
        form = await self._form(request)
        if isinstance(form, JSONResponse):
            return form
        refund = self.refunds.get(request.path_params["refund_id"])
        if refund is None:
            return _error(404, "invalid_request_error", "No such refund.", "resource_missing")
        return JSONResponse(refund)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/payment_intents", self.create_intent, methods=["POST"]),
                Route("/v1/payment_intents/{intent_id}", self.retrieve_intent, methods=["GET"]),
                Route("/v1/payment_intents/{intent_id}/cancel", self.cancel_intent, methods=["POST"]),
                Route("/v1/customers", self.create_customer, methods=["POST"]),
                Route(
                    "/v1/customers/{customer_id}/payment_methods",
                    self.list_customer_methods,
                    methods=["GET"],
                ),
                Route("/v1/payment_methods/{method_id}/detach", self.detach_method, methods=["POST"]),
                Route("/v1/refunds", self.create_refund, methods=["POST"]),
                Route("/v1/refunds/{refund_id}", self.retrieve_refund, methods=["GET"]),
            ]
        )


@asynccontextmanager
async def serve_fake_stripe() -> AsyncIterator[FakeStripe]:
    """Serve a fake on 127.0.0.1 (a free port) in this event loop. The socket listens before the server
    task starts, so clients can connect at once (the kernel queues them): no readiness wait."""
    fake = FakeStripe()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    fake.url = f"http://127.0.0.1:{port}"
    config = uvicorn.Config(fake.app(), lifespan="off", log_level="warning", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    # ``_serve``, not ``serve``: the latter takes over SIGINT/SIGTERM for the whole test session.
    task = asyncio.create_task(server._serve(sockets=[sock]))
    try:
        yield fake
    finally:
        fake.reset()  # releases hanging handlers
        server.should_exit = True
        await task
        sock.close()
