import Foundation
import PortcullisCore

/// Dashboard sign-in: `POST /login`, `POST /logout`, `GET /api/v1/session`.
extension AdminAPI {
    /// The body of `POST /login`.
    struct LoginBody: Decodable {
        var token: String
    }

    /// What `/login` and `/api/v1/session` return.
    struct SessionBody: Encodable {
        /// Send as `X-CSRF-Token` on every POST, PUT and DELETE made with the cookie.
        var csrfToken: String?
        /// RFC 3339 end of the session.
        var expires: String?
        /// `session` or `token`.
        var authenticatedBy: String
        enum CodingKeys: String, CodingKey {
            case expires
            case csrfToken = "csrf_token"
            case authenticatedBy = "authenticated_by"
        }
    }

    /// Trades the admin token for a session cookie; 401 for a wrong token.
    func login(_ request: HTTPServerRequest) -> HTTPServerResponse {
        let body: LoginBody
        do {
            body = try AdminJSON.decode(LoginBody.self, from: request.body)
        } catch let error as AdminError {
            return Problem(error).response
        } catch {
            return Problem(status: 400, detail: "the JSON body is not valid").response
        }
        guard ConstantTime.equals(self.configuration.token, body.token) else {
            return Problem(status: 401, detail: "the token is not the admin token").response
        }
        let now = self.now()
        let session = self.sessions.create(now: now)
        var response = AdminJSON.response(status: 200, Self.describe(session))
        response.headers.append(("Set-Cookie", self.sessions.setCookie(session, secure: request.isTLS, now: now)))
        return response
    }

    /// Ends the cookie's session (needs its CSRF token); always clears the cookie.
    func logout(_ request: HTTPServerRequest) -> HTTPServerResponse {
        if let session = self.sessions.session(cookieHeader: request.header("cookie"), now: self.now()) {
            guard ConstantTime.equals(session.csrfToken, request.header("x-csrf-token") ?? "") else {
                return Problem(status: 403, detail: "logout needs the X-CSRF-Token header").response
            }
            self.sessions.remove(session.id)
        }
        return HTTPServerResponse(status: 204, headers: [("Set-Cookie", SessionStore.clearCookie(secure: request.isTLS))])
    }

    /// `GET /api/v1/session`: the CSRF token of the cookie's session.
    func sessionInfo(_ principal: Principal) -> HTTPServerResponse {
        switch principal {
        case .session(let session): return AdminJSON.response(status: 200, Self.describe(session))
        default: return AdminJSON.response(status: 200, SessionBody(csrfToken: nil, expires: nil, authenticatedBy: "token"))
        }
    }

    private static func describe(_ session: SessionStore.Session) -> SessionBody {
        SessionBody(
            csrfToken: session.csrfToken, expires: Date(timeIntervalSince1970: session.expires).formatted(.iso8601),
            authenticatedBy: "session")
    }
}
