import Foundation
import PortcullisCore
import Testing

@testable import PortcullisAdmin

/// Authentication, origin and CSRF rules, routing and problem documents, without a network.
@Suite struct AdminAPITests {
    let token = String(repeating: "ab", count: 32)
    let backend = RecordingBackend()

    func api(metricsNeedToken: Bool = true) -> AdminAPI {
        var configuration = AdminAPI.Configuration(token: self.token)
        configuration.metricsNeedToken = metricsNeedToken
        return AdminAPI(backend: self.backend, configuration: configuration)
    }

    func request(
        _ method: String, _ uri: String, token: String? = nil, headers: [(name: String, value: String)] = [], body: String = ""
    ) -> HTTPServerRequest {
        var all: [(name: String, value: String)] = [("Host", "127.0.0.1:9180")] + headers
        if let token { all.append(("Authorization", "Bearer \(token)")) }
        return HTTPServerRequest(method: method, uri: uri, headers: all, body: Array(body.utf8), isTLS: false)
    }

    func problem(_ response: HTTPServerResponse) throws -> [String: Any] {
        #expect(response.header("content-type") == "application/problem+json")
        return try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
    }

    @Test func noTokenIs401WithChallenge() throws {
        let response = self.api().handle(self.request("GET", "/api/v1/certificates"))
        #expect(response.status == 401)
        #expect(response.header("www-authenticate")?.hasPrefix("Bearer") == true)
        let body = try self.problem(response)
        #expect(body["status"] as? Int == 401)
        #expect(body["title"] as? String == "Unauthorized")
        #expect(self.backend.calls.isEmpty)
    }

    @Test func wrongTokenIs401() {
        let wrong = String(repeating: "ab", count: 31) + "ac"
        #expect(self.api().handle(self.request("GET", "/api/v1/certificates", token: wrong)).status == 401)
        // A token repeated is not the token (lengths are compared too).
        #expect(self.api().handle(self.request("GET", "/api/v1/certificates", token: self.token + self.token)).status == 401)
    }

    @Test func rightTokenReachesTheBackend() {
        let response = self.api().handle(self.request("GET", "/api/v1/certificates", token: self.token))
        #expect(response.status == 200)
        #expect(self.backend.calls == ["list"])
        #expect(response.header("cache-control") == "no-store")
    }

    @Test func foreignOriginIs403EvenWithTheToken() {
        let foreign = self.request("GET", "/api/v1/certificates", token: self.token, headers: [("Origin", "http://evil.test")])
        #expect(self.api().handle(foreign).status == 403)
        let own = self.request("GET", "/api/v1/certificates", token: self.token, headers: [("Origin", "http://127.0.0.1:9180")])
        #expect(self.api().handle(own).status == 200)
    }

    @Test func healthzNeedsNoToken() {
        let response = self.api().handle(self.request("GET", "/healthz"))
        #expect(response.status == 200)
        #expect(response.body == Array("ok\n".utf8))
    }

    @Test func metricsTokenCanBeTurnedOff() {
        #expect(self.api().handle(self.request("GET", "/metrics")).status == 401)
        #expect(self.api(metricsNeedToken: false).handle(self.request("GET", "/metrics")).status == 200)
        // Only /metrics: the API still needs the token.
        #expect(self.api(metricsNeedToken: false).handle(self.request("GET", "/api/v1/sites")).status == 401)
    }

    @Test func backendRefusalsAreProblems() throws {
        let response = self.api().handle(self.request("DELETE", "/api/v1/certificates/shop", token: self.token))
        #expect(response.status == 409)
        #expect(try self.problem(response)["detail"] as? String == "certificate \"shop\" is used by site shop.test")
        let forced = self.api().handle(self.request("DELETE", "/api/v1/certificates/shop?force=true", token: self.token))
        #expect(forced.status == 204)
        #expect(self.backend.calls == ["delete shop force=false", "delete shop force=true"])
    }

    @Test func unknownRoutesAndMethods() throws {
        #expect(self.api().handle(self.request("GET", "/api/v1/nope", token: self.token)).status == 404)
        let wrongMethod = self.api().handle(self.request("POST", "/api/v1/sites", token: self.token))
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("allow") == "GET")
        #expect(self.api().handle(self.request("GET", "/api/v1/events?after=x", token: self.token)).status == 400)
    }

    @Test(arguments: [
        "", "{", "[]", "{\"certificate\": \"x\"}", "{\"certificate\": \"x\", \"private_key\": \"y\", \"pfx\": \"AA==\"}",
        "{\"pfx\": \"!!!\", \"password\": \"p\"}", "{\"self_signed\": {}}",
    ])
    func malformedUploadsAre400(body: String) throws {
        let response = self.api().handle(self.request("PUT", "/api/v1/certificates/shop", token: self.token, body: body))
        #expect(response.status == 400)
        #expect(try self.problem(response)["type"] as? String == "https://portcullis.dev/problems/bad-request")
        #expect(self.backend.calls.isEmpty)
    }

    @Test func putAnswers201Or200() {
        let body = "{\"certificate\": \"c\", \"private_key\": \"k\"}"
        #expect(self.api().handle(self.request("PUT", "/api/v1/certificates/shop", token: self.token, body: body)).status == 201)
        self.backend.putResult = .success(false)
        #expect(self.api().handle(self.request("PUT", "/api/v1/certificates/shop", token: self.token, body: body)).status == 200)
    }
}
