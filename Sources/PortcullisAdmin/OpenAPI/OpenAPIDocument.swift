/// The OpenAPI 3.1 document of the admin API, served at `GET /api/v1/openapi.json`. Kept by hand next to
/// the routes (`AdminAPI+Routes.swift`); `OpenAPIDocumentTests` checks that every route is in it, and the
/// schemathesis integration test checks the server against it.
enum OpenAPIDocument {
    static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Portcullis admin API",
    "version": "1.0.0",
    "description": "Certificates, sites, policies, reload, events and metrics of a running Portcullis. Every route but /healthz, /login and the dashboard files needs `Authorization: Bearer <token>` (the token file) or a dashboard session cookie plus `X-CSRF-Token` on state-changing requests. Errors are RFC 9457 problem documents. Bodies over 16 MiB get 413."
  },
  "servers": [
    {
      "url": "/"
    }
  ],
  "security": [
    {
      "bearerAuth": []
    },
    {
      "sessionCookie": []
    }
  ],
  "paths": {
    "/healthz": {
      "get": {
        "operationId": "health",
        "summary": "Liveness check for load balancers",
        "security": [],
        "responses": {
          "200": {
            "description": "The process is serving",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string",
                  "const": "ok\n"
                }
              }
            }
          }
        }
      }
    },
    "/login": {
      "post": {
        "operationId": "login",
        "summary": "Trade the admin token for a session cookie",
        "security": [],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Login"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Signed in; the cookie is HttpOnly, SameSite=Strict, Path=/ (Secure under TLS)",
            "headers": {
              "Set-Cookie": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Session"
                }
              }
            }
          },
          "400": {
            "description": "Malformed body",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "description": "Wrong token",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          }
        }
      }
    },
    "/logout": {
      "post": {
        "operationId": "logout",
        "summary": "End the session",
        "security": [
          {
            "sessionCookie": []
          },
          {}
        ],
        "responses": {
          "204": {
            "description": "Signed out; the cookie is cleared"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "operationId": "metrics",
        "summary": "Prometheus text exposition",
        "responses": {
          "200": {
            "description": "Metrics",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/api/v1/session": {
      "get": {
        "operationId": "getSession",
        "summary": "The session's CSRF token",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Session"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/api/v1/certificates": {
      "get": {
        "operationId": "listCertificates",
        "summary": "The status table (certs list --json, plus serial, fingerprint and previous)",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/Certificate"
                  }
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/api/v1/certificates/{name}": {
      "parameters": [
        { "$ref": "#/components/parameters/CertificateName" }
      ],
      "get": {
        "operationId": "getCertificate",
        "summary": "One certificate with its public chain",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CertificateDetail"
                }
              }
            }
          },
          "404": {
            "description": "No such certificate",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      },
      "put": {
        "operationId": "putCertificate",
        "summary": "Import or replace (PEM, PFX or self-signed); served within 100 ms of the answer",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CertificateUpload"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Replaced",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Certificate"
                }
              }
            }
          },
          "201": {
            "description": "Created",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Certificate"
                }
              }
            }
          },
          "400": {
            "description": "Malformed body",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "422": {
            "description": "Refused by the importer; the store is unchanged",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      },
      "delete": {
        "operationId": "deleteCertificate",
        "summary": "Remove (kept as the previous version for rollback)",
        "parameters": [
          {
            "name": "force",
            "in": "query",
            "required": false,
            "schema": {
              "type": "boolean"
            },
            "description": "Remove even while a site or listener uses it"
          }
        ],
        "responses": {
          "204": {
            "description": "Removed"
          },
          "400": {
            "description": "Bad query",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "404": {
            "description": "No such certificate",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "409": {
            "description": "In use by a site or listener",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "422": {
            "description": "The remaining configuration cannot be built",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/api/v1/certificates/{name}/chain.pem": {
      "parameters": [
        { "$ref": "#/components/parameters/CertificateName" }
      ],
      "get": {
        "operationId": "downloadChain",
        "summary": "The public chain (certificates only)",
        "responses": {
          "200": {
            "description": "PEM certificates, leaf first",
            "headers": {
              "Content-Disposition": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "content": {
              "application/x-pem-file": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "404": {
            "description": "No such certificate",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/api/v1/certificates/{name}/rollback": {
      "parameters": [
        { "$ref": "#/components/parameters/CertificateName" }
      ],
      "post": {
        "operationId": "rollbackCertificate",
        "summary": "Swap back to the previous version",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Certificate"
                }
              }
            }
          },
          "404": {
            "description": "No such certificate or no previous version",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "422": {
            "description": "The previous version cannot be served",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/api/v1/certificates/{name}/renew": {
      "parameters": [
        { "$ref": "#/components/parameters/CertificateName" }
      ],
      "post": {
        "operationId": "renewCertificate",
        "summary": "Renew an ACME certificate now",
        "responses": {
          "202": {
            "description": "Renewal started",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Accepted"
                }
              }
            }
          },
          "404": {
            "description": "No such certificate",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "409": {
            "description": "Not an ACME certificate, or ACME is not configured",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/api/v1/sites": {
      "get": {
        "operationId": "listSites",
        "summary": "Every site of the running configuration",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/Site"
                  }
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/api/v1/policies": {
      "get": {
        "operationId": "listPolicies",
        "summary": "The security-policy catalogue",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/Policy"
                  }
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/api/v1/policies/{name}": {
      "parameters": [
        {
          "name": "name",
          "in": "path",
          "required": true,
          "schema": {
            "type": "string",
            "minLength": 1
          }
        }
      ],
      "get": {
        "operationId": "getPolicy",
        "summary": "One policy, as `policies show`",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Policy"
                }
              }
            }
          },
          "404": {
            "description": "Unknown policy",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/api/v1/reload": {
      "post": {
        "operationId": "reload",
        "summary": "Re-read proxy.conf through the commit path",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Generation"
                }
              }
            }
          },
          "422": {
            "description": "The configuration has errors (every FILE:LINE: KEY: message); nothing changed",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/api/v1/events": {
      "get": {
        "operationId": "listEvents",
        "summary": "Latest control-plane events (a ring of 1,000)",
        "parameters": [
          {
            "name": "after",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 0,
              "maximum": 18446744073709551615
            },
            "description": "Only events with a larger seq"
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/Event"
                  }
                }
              }
            }
          },
          "400": {
            "description": "Bad query",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/api/v1/openapi.json": {
      "get": {
        "operationId": "openapi",
        "summary": "This document",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/api/v1/domains": {
      "get": {
        "operationId": "listDomains",
        "summary": "Every domain of the DNS watch and its state",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/Domain"
                  }
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      },
      "post": {
        "operationId": "addDomain",
        "summary": "Watch a domain; once it is a CNAME to `expect` (or has its addresses) a site from [[site_template]] and a certificate are deployed",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/DomainRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Watched (state `waiting for DNS`, or already further after the first lookup)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Domain"
                }
              }
            }
          },
          "400": {
            "description": "Malformed body or invalid name",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "409": {
            "description": "Already watched, a host of a configured site, the limit reached, or no [[site_template]]",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/api/v1/domains/{domain}": {
      "parameters": [
        {
          "name": "domain",
          "in": "path",
          "required": true,
          "schema": {
            "type": "string",
            "minLength": 1
          }
        }
      ],
      "get": {
        "operationId": "getDomain",
        "summary": "One watched domain",
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Domain"
                }
              }
            }
          },
          "404": {
            "description": "Not watched",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      },
      "delete": {
        "operationId": "removeDomain",
        "summary": "Stop watching; a provisioned site is removed (its certificate stays in the store)",
        "responses": {
          "204": {
            "description": "Removed"
          },
          "404": {
            "description": "Not watched",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    }
  },
  "components": {
    "parameters": {
      "CertificateName": {
        "name": "name",
        "in": "path",
        "required": true,
        "description": "Certificate name in the store (letters, digits, '.', '_', '-').",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200
        }
      }
    },
    "securitySchemes": {
      "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "The contents of the admin token file"
      },
      "sessionCookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": "portcullis_session"
      }
    },
    "responses": {
      "Unauthorized": {
        "description": "No token, a wrong token, or no session",
        "headers": {
          "WWW-Authenticate": {
            "schema": {
              "type": "string"
            }
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Forbidden": {
        "description": "A foreign Origin, or a session request without its CSRF token",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "TooLarge": {
        "description": "The body is over 16 MiB"
      }
    },
    "schemas": {
      "Problem": {
        "type": "object",
        "required": [
          "type",
          "title",
          "status",
          "detail"
        ],
        "properties": {
          "type": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "status": {
            "type": "integer"
          },
          "detail": {
            "type": "string"
          },
          "errors": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Every problem of a refused configuration, one FILE:LINE: KEY: message each"
          }
        }
      },
      "Certificate": {
        "type": "object",
        "required": [
          "name",
          "domains",
          "source",
          "subject_cn",
          "issuer",
          "key_type",
          "not_before",
          "not_after",
          "days_left",
          "status",
          "deployed",
          "serial",
          "fingerprint_sha256",
          "previous"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "domains": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "source": {
            "type": "string",
            "enum": [
              "user",
              "self-signed",
              "acme"
            ]
          },
          "subject_cn": {
            "type": "string"
          },
          "issuer": {
            "type": "string"
          },
          "key_type": {
            "type": "string"
          },
          "not_before": {
            "type": "string",
            "format": "date-time"
          },
          "not_after": {
            "type": "string",
            "format": "date-time"
          },
          "days_left": {
            "type": "integer"
          },
          "status": {
            "type": "string"
          },
          "deployed": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "serial": {
            "type": "string"
          },
          "fingerprint_sha256": {
            "type": "string",
            "pattern": "^([0-9a-f]{64})?$"
          },
          "previous": {
            "type": "boolean"
          }
        }
      },
      "CertificateDetail": {
        "allOf": [
          {
            "$ref": "#/components/schemas/Certificate"
          },
          {
            "type": "object",
            "required": [
              "chain_pem"
            ],
            "properties": {
              "chain_pem": {
                "type": "string"
              }
            }
          }
        ]
      },
      "CertificateUpload": {
        "oneOf": [
          {
            "type": "object",
            "title": "PEM",
            "required": [
              "certificate",
              "private_key"
            ],
            "additionalProperties": false,
            "properties": {
              "certificate": {
                "type": "string",
                "description": "Leaf certificate, PEM (may hold the chain)"
              },
              "private_key": {
                "type": "string",
                "description": "Unencrypted private key, PEM"
              },
              "chain": {
                "type": "string",
                "description": "Intermediate certificates, PEM"
              },
              "ca_bundle": {
                "type": "string",
                "description": "CA bundle to complete the chain (roots are not served)"
              },
              "force": {
                "type": "boolean",
                "description": "Accept an expired or not-yet-valid certificate"
              }
            }
          },
          {
            "type": "object",
            "title": "PFX",
            "required": [
              "pfx",
              "password"
            ],
            "additionalProperties": false,
            "properties": {
              "pfx": {
                "type": "string",
                "contentEncoding": "base64"
              },
              "password": {
                "type": "string"
              },
              "force": {
                "type": "boolean"
              }
            }
          },
          {
            "type": "object",
            "title": "Self-signed",
            "required": [
              "self_signed"
            ],
            "additionalProperties": false,
            "properties": {
              "self_signed": {
                "type": "object",
                "required": [
                  "domains"
                ],
                "additionalProperties": false,
                "properties": {
                  "domains": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                      "type": "string"
                    }
                  },
                  "key_type": {
                    "type": "string",
                    "enum": [
                      "ec256",
                      "ec384",
                      "rsa2048",
                      "rsa3072",
                      "rsa4096"
                    ]
                  },
                  "days": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 3650
                  }
                }
              }
            }
          }
        ]
      },
      "Site": {
        "type": "object",
        "required": [
          "hosts",
          "certificates",
          "certificate_source",
          "policy",
          "upstreams",
          "listeners"
        ],
        "properties": {
          "hosts": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "certificates": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "certificate_source": {
            "type": "string",
            "enum": [
              "self-signed",
              "acme",
              "store"
            ]
          },
          "policy": {
            "type": "string"
          },
          "upstreams": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "respond": {
            "type": "string"
          },
          "listeners": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "upstream_health": {
            "type": "object",
            "additionalProperties": {
              "type": "string",
              "enum": [
                "up",
                "down",
                "unchecked"
              ]
            }
          }
        }
      },
      "Policy": {
        "type": "object",
        "required": [
          "name",
          "source",
          "versions",
          "server_preference",
          "ciphers",
          "ciphersuites",
          "groups",
          "sigalgs",
          "session_tickets",
          "client_auth",
          "status"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "source": {
            "type": "string"
          },
          "versions": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "server_preference": {
            "type": "boolean"
          },
          "ciphers": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "ciphersuites": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "groups": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "sigalgs": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "session_tickets": {
            "type": "boolean"
          },
          "hsts": {
            "type": "string"
          },
          "client_auth": {
            "type": "string",
            "enum": [
              "none",
              "optional",
              "required"
            ]
          },
          "status": {
            "type": "string"
          }
        }
      },
      "Generation": {
        "type": "object",
        "required": [
          "generation"
        ],
        "properties": {
          "generation": {
            "type": "integer",
            "minimum": 1
          }
        }
      },
      "Event": {
        "type": "object",
        "required": [
          "seq",
          "time",
          "kind",
          "name",
          "message"
        ],
        "properties": {
          "seq": {
            "type": "integer",
            "minimum": 1
          },
          "time": {
            "type": "string",
            "format": "date-time"
          },
          "kind": {
            "type": "string",
            "enum": [
              "import",
              "swap",
              "rollback",
              "delete",
              "reload",
              "expiry_warning",
              "acme",
              "failure"
            ]
          },
          "name": {
            "type": "string"
          },
          "message": {
            "type": "string"
          }
        }
      },
      "Accepted": {
        "type": "object",
        "required": [
          "name",
          "status"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "status": {
            "type": "string"
          }
        }
      },
      "Login": {
        "type": "object",
        "required": [
          "token"
        ],
        "properties": {
          "token": {
            "type": "string"
          }
        }
      },
      "Session": {
        "type": "object",
        "required": [
          "authenticated_by"
        ],
        "properties": {
          "authenticated_by": {
            "type": "string",
            "enum": [
              "session",
              "token"
            ]
          },
          "csrf_token": {
            "type": "string",
            "description": "Send as X-CSRF-Token on POST, PUT and DELETE made with the cookie"
          },
          "expires": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "Domain": {
        "type": "object",
        "required": [
          "domain",
          "expect",
          "state",
          "added"
        ],
        "properties": {
          "domain": {
            "type": "string"
          },
          "expect": {
            "type": "string"
          },
          "state": {
            "type": "string",
            "description": "`waiting for DNS`, `ordering`, `deployed` or `failed: REASON`"
          },
          "added": {
            "type": "string",
            "format": "date-time"
          },
          "last_checked": {
            "type": "string",
            "format": "date-time"
          },
          "last_error": {
            "type": "string",
            "description": "Why the last lookup got no answer"
          },
          "pointed_at": {
            "type": "string",
            "format": "date-time",
            "description": "When DNS was first seen pointing here"
          }
        }
      },
      "DomainRequest": {
        "type": "object",
        "required": [
          "domain",
          "expect"
        ],
        "properties": {
          "domain": {
            "type": "string",
            "description": "The customer's name, e.g. shop.customer.com"
          },
          "expect": {
            "type": "string",
            "description": "What it must point at, e.g. edge.platform.net"
          }
        }
      }
    }
  }
}
"""#
}
