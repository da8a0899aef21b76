import Foundation
import Testing

@testable import PortcullisAdmin

/// The embedded OpenAPI document is valid JSON, says 3.1, and lists every route the API answers.
@Suite struct OpenAPIDocumentTests {
    @Test func documentsEveryRoute() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let expected: [String: [String]] = [
            "/healthz": ["get"], "/login": ["post"], "/logout": ["post"], "/metrics": ["get"],
            "/api/v1/session": ["get"], "/api/v1/certificates": ["get"],
            "/api/v1/certificates/{name}": ["get", "put", "delete"], "/api/v1/certificates/{name}/chain.pem": ["get"],
            "/api/v1/certificates/{name}/rollback": ["post"], "/api/v1/certificates/{name}/renew": ["post"],
            "/api/v1/sites": ["get"], "/api/v1/policies": ["get"], "/api/v1/policies/{name}": ["get"],
            "/api/v1/reload": ["post"], "/api/v1/events": ["get"], "/api/v1/openapi.json": ["get"],
            "/api/v1/domains": ["get", "post"], "/api/v1/domains/{domain}": ["get", "delete"],
        ]
        #expect(Set(paths.keys) == Set(expected.keys))
        for (path, methods) in expected {
            for method in methods { #expect(paths[path]?[method] != nil, "\(method) \(path)") }
        }
    }
}
