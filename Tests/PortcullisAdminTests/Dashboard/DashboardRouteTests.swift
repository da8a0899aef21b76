import PortcullisAdmin
import Testing

/// The embedded dashboard's route: which paths it claims, its headers, and what it refuses.
@Suite struct DashboardRouteTests {
    private func header(_ response: DashboardResponse, _ name: String) -> String? {
        response.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    @Test(arguments: ["/", "/index.html", "/assets/app.js", "/assets/app.css", "/assets/favicon.svg", "/?x=1"])
    func servesEveryAssetWithTheSecurityHeaders(path: String) throws {
        let response = try #require(DashboardRoute.respond(method: "GET", path: path))
        #expect(response.status == 200)
        #expect(!response.body.isEmpty)
        #expect(self.header(response, "Content-Security-Policy")?.hasPrefix("default-src 'self'") == true)
        #expect(self.header(response, "X-Frame-Options") == "DENY")
        #expect(self.header(response, "Referrer-Policy") == "no-referrer")
    }

    @Test func leavesTheAPIAlone() {
        #expect(DashboardRoute.respond(method: "GET", path: "/api/v1/certificates") == nil)
        #expect(DashboardRoute.respond(method: "POST", path: "/login") == nil)
        #expect(DashboardRoute.respond(method: "GET", path: "/metrics") == nil)
    }

    @Test func unknownAssetIs404AndOtherMethods405() throws {
        #expect(try #require(DashboardRoute.respond(method: "GET", path: "/assets/nope.js")).status == 404)
        let post = try #require(DashboardRoute.respond(method: "POST", path: "/"))
        #expect(post.status == 405)
        #expect(self.header(post, "Allow") == "GET, HEAD")
        #expect(try #require(DashboardRoute.respond(method: "HEAD", path: "/")).body.isEmpty)
    }

    /// Every module the page imports is served, and nothing points at another origin.
    @Test func assetsReferenceOnlyTheirOwnOrigin() throws {
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
