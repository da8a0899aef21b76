import Foundation
import PortcullisCore
import Testing

@testable import PortcullisAdmin

/// Sign-in: cookie attributes, CSRF on state-changing requests, lifetime and the session bound.
@Suite struct SessionTests {
    let token = String(repeating: "cd", count: 32)
    let backend = RecordingBackend()

    func request(_ method: String, _ uri: String, headers: [(name: String, value: String)] = [], body: String = "", tls: Bool = false)
        -> HTTPServerRequest
    {
        HTTPServerRequest(method: method, uri: uri, headers: [("Host", "admin.test")] + headers, body: Array(body.utf8), isTLS: tls)
    }

    /// Signs in and returns the cookie pair and the CSRF token.
    func signIn(_ api: AdminAPI, tls: Bool = false) throws -> (cookie: String, csrf: String, setCookie: String) {
        let response = api.handle(self.request("POST", "/login", body: "{\"token\": \"\(self.token)\"}", tls: tls))
        #expect(response.status == 200)
        let setCookie = try #require(response.header("set-cookie"))
        let body = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        return (String(setCookie.split(separator: ";")[0]), try #require(body["csrf_token"] as? String), setCookie)
    }

    @Test func cookieAttributes() throws {
        let api = AdminAPI(backend: self.backend, configuration: .init(token: self.token))
        let plain = try self.signIn(api).setCookie
        #expect(plain.contains("HttpOnly") && plain.contains("SameSite=Strict") && plain.contains("Path=/"))
        #expect(plain.contains("Max-Age=43200"))
        #expect(!plain.contains("Secure"))
        #expect(try self.signIn(api, tls: true).setCookie.hasSuffix("; Secure"))
    }

    @Test func wrongTokenDoesNotSignIn() {
        let api = AdminAPI(backend: self.backend, configuration: .init(token: self.token))
        let response = api.handle(self.request("POST", "/login", body: "{\"token\": \"nope\"}"))
        #expect(response.status == 401)
        #expect(response.header("set-cookie") == nil)
    }

    @Test func stateChangesNeedTheCSRFToken() throws {
        let api = AdminAPI(backend: self.backend, configuration: .init(token: self.token))
        let (cookie, csrf, _) = try self.signIn(api)
        #expect(api.handle(self.request("GET", "/api/v1/certificates", headers: [("Cookie", cookie)])).status == 200)
        #expect(api.handle(self.request("POST", "/api/v1/reload", headers: [("Cookie", cookie)])).status == 403)
        let wrong = [("Cookie", cookie), ("X-CSRF-Token", String(csrf.reversed()))]
        #expect(api.handle(self.request("POST", "/api/v1/reload", headers: wrong)).status == 403)
        #expect(self.backend.calls == ["list"])
        let right = [("Cookie", cookie), ("X-CSRF-Token", csrf)]
        #expect(api.handle(self.request("POST", "/api/v1/reload", headers: right)).status == 200)
        let session = api.handle(self.request("GET", "/api/v1/session", headers: [("Cookie", cookie)]))
        #expect(String(decoding: session.body, as: UTF8.self).contains(csrf))
    }

    @Test func logoutEndsTheSession() throws {
        let api = AdminAPI(backend: self.backend, configuration: .init(token: self.token))
        let (cookie, csrf, _) = try self.signIn(api)
        #expect(api.handle(self.request("POST", "/logout", headers: [("Cookie", cookie)])).status == 403)
        let out = api.handle(self.request("POST", "/logout", headers: [("Cookie", cookie), ("X-CSRF-Token", csrf)]))
        #expect(out.status == 204)
        #expect(out.header("set-cookie")?.contains("Max-Age=0") == true)
        #expect(api.handle(self.request("GET", "/api/v1/certificates", headers: [("Cookie", cookie)])).status == 401)
    }

    @Test func sessionsExpireAndAreBounded() throws {
        var configuration = AdminAPI.Configuration(token: self.token)
        configuration.sessionLifetime = 60
        configuration.maxSessions = 2
        let api = AdminAPI(backend: self.backend, configuration: configuration)
        var clock = 1000.0
        api.now = { clock }
        let first = try self.signIn(api)
        _ = try self.signIn(api)
        _ = try self.signIn(api)
        #expect(api.sessions.count == 2)
        // The oldest was evicted for the third.
        #expect(api.handle(self.request("GET", "/api/v1/sites", headers: [("Cookie", first.cookie)])).status == 401)
        let last = try self.signIn(api)
        clock += 61
        #expect(api.handle(self.request("GET", "/api/v1/sites", headers: [("Cookie", last.cookie)])).status == 401)
    }
}
