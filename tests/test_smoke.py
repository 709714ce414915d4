from __future__ import annotations

import httpx


async def test_register_then_me(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/auth/register",
        json={"email": "Smoke@Example.com", "password": "Secret123", "firstName": "Sam", "lastName": "Oke"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["user"]["email"] == "smoke@example.com"
    me = await client.get("/auth/me", headers={"Authorization": f"Bearer {body['accessToken']}"})
    assert me.status_code == 200
    assert me.json()["id"] == body["user"]["id"]
    assert "passwordHash" not in me.json()
