import PortcullisCore
import Testing

@testable import PortcullisAdmin

/// The embedded dashboard behind the admin API: served without a session, with the security headers,
/// and made only of same-origin modules that the CSP allows.
@Suite struct DashboardRouteTests {
    let api = AdminAPI(
        backend: RecordingBackend(), configuration: AdminAPI.Configuration(token: String(repeating: "ab", count: 32)),
        assets: DashboardAssetSource())

    func get(_ uri: String, method: String = "GET") -> HTTPServerResponse {
        self.api.handle(
            HTTPServerRequest(method: method, uri: uri, headers: [("Host", "127.0.0.1:9180")], body: [], isTLS: false))
    }

    @Test(arguments: ["/", "/assets/app.js", "/assets/app.css", "/assets/favicon.svg", "/?x=1"])
    func servesEveryAssetWithTheSecurityHeaders(path: String) {
        let response = self.get(path)
        #expect(response.status == 200)
        #expect(!response.body.isEmpty)
        #expect(response.header("content-security-policy")?.hasPrefix("default-src 'self'") == true)
        #expect(response.header("x-frame-options") == "DENY")
        #expect(response.header("referrer-policy") == "no-referrer")
    }

    @Test func contentTypes() {
        #expect(self.get("/").header("content-type") == "text/html; charset=utf-8")
        #expect(self.get("/assets/certs.js").header("content-type") == "text/javascript; charset=utf-8")
        #expect(self.get("/assets/app.css").header("content-type") == "text/css; charset=utf-8")
    }

    @Test func unknownAssetIs404AndTheAPIStillNeedsAToken() {
        #expect(self.get("/assets/nope.js").status == 404)
        #expect(self.get("/api/v1/certificates").status == 401)
        #expect(self.get("/", method: "HEAD").body.isEmpty)
    }

    /// Every module the page imports is served, and nothing points at another origin.
    @Test func assetsReferenceOnlyTheirOwnOrigin() {
        for asset in DashboardAsset.all.values {
            let text = String(decoding: asset.body, as: UTF8.self)
            for module in Self.imports(in: text) {
                #expect(DashboardAsset.all["/assets/" + module] != nil, "\(asset.path) imports missing \(module)")
            }
            #expect(!text.contains("https://"), "\(asset.path) names an external URL")
            #expect(!text.contains("innerHTML"), "\(asset.path) uses innerHTML")
            #expect(!text.contains("style="), "\(asset.path) has an inline style the CSP would block")
        }
    }

    private static func imports(in text: String) -> [String] {
        text.split(whereSeparator: { $0 == "\n" }).compactMap { (line: Substring) -> String? in
            guard line.hasPrefix("import "), let start = line.firstRange(of: "'./") else { return nil }
            return String(line[start.upperBound...].prefix { $0 != "'" })
        }
    }
}
