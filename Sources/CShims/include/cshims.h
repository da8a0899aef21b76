/* Shims for the few OpenSSL/libc things Swift cannot call directly: SSL_OP_* constants (SSL_OP_BIT
 * macros), function-like ctrl macros, stdout. Structs are forward-declared so this module never carries
 * a second textual copy of the OpenSSL headers; only cshims.c includes them. */
#ifndef PORTCULLIS_CSHIMS_H
#define PORTCULLIS_CSHIMS_H
#include <stdint.h>

struct ssl_st;
struct ssl_ctx_st;
struct bio_st;
struct stack_st_X509;
struct x509_st;

static const uint64_t PC_SSL_OP_NO_COMPRESSION = 1ULL << 17;
static const uint64_t PC_SSL_OP_IGNORE_UNEXPECTED_EOF = 1ULL << 7;
static const uint64_t PC_SSL_OP_NO_TICKET = 1ULL << 14;
static const uint64_t PC_SSL_OP_CIPHER_SERVER_PREFERENCE = 1ULL << 22;
static const uint64_t PC_SSL_OP_NO_TLSv1_3 = 1ULL << 29;
static const uint64_t PC_SSL_OP_NO_RENEGOTIATION = 1ULL << 30;
static const uint64_t PC_SSL_OP_NO_ANTI_REPLAY = 1ULL << 24;

int pc_SSL_CTX_set_min_proto_version(struct ssl_ctx_st *ctx, int version);
int pc_SSL_CTX_set_max_proto_version(struct ssl_ctx_st *ctx, int version);
int pc_SSL_set_min_proto_version(struct ssl_st *s, int version);
int pc_SSL_set_max_proto_version(struct ssl_st *s, int version);
long pc_SSL_CTX_set_mode(struct ssl_ctx_st *ctx, long mode);
long pc_SSL_CTX_set_session_cache_mode(struct ssl_ctx_st *ctx, long mode);
int pc_SSL_CTX_set1_groups_list(struct ssl_ctx_st *ctx, const char *list);
int pc_SSL_set1_groups_list(struct ssl_st *s, const char *list);
int pc_SSL_set_tlsext_host_name(struct ssl_st *s, const char *name);
/* SSL_CTX_add1_chain_cert: appends an intermediate to the context's chain (up-refs it). */
int pc_SSL_CTX_add1_chain_cert(struct ssl_ctx_st *ctx, struct x509_st *x509);
long pc_BIO_get_mem_data(struct bio_st *b, char **pp);
int pc_sk_X509_num(const struct stack_st_X509 *sk);
struct x509_st *pc_sk_X509_value(const struct stack_st_X509 *sk, int i);
void pc_OPENSSL_free(void *p);
/* STACK_OF(X509) for a shared certificate chain (SSL_use_cert_and_key up-refs what it uses). */
struct stack_st_X509 *pc_sk_X509_new_null(void);
int pc_sk_X509_push(struct stack_st_X509 *sk, struct x509_st *x509);
/* Frees the stack and drops one reference to each certificate in it. */
void pc_sk_X509_pop_free(struct stack_st_X509 *sk);
/* renameat2(RENAME_EXCHANGE): atomically swaps two existing paths (Linux; EINVAL where unsupported). */
int pc_rename_exchange(const char *a, const char *b);
void pc_line_buffer_stdout(void);
/* Security policies (PortcullisTLS/Policy). */
int pc_SSL_CTX_set1_sigalgs_list(struct ssl_ctx_st *ctx, const char *list);
long pc_SSL_CTX_set_dh_auto(struct ssl_ctx_st *ctx, long onoff);
/* The session-ticket key callback as OpenSSL 3 declares it (EVP_CIPHER_CTX / EVP_MAC_CTX as void). */
typedef int (*pc_ticket_key_cb)(struct ssl_st *s, unsigned char *key_name, unsigned char *iv, void *cipher_ctx,
                                void *mac_ctx, int enc);
int pc_SSL_CTX_set_ticket_key_cb(struct ssl_ctx_st *ctx, pc_ticket_key_cb cb);
/* Sets the HMAC-SHA256 key on a ticket MAC context and the AES-256-CBC key on the cipher context. */
int pc_ticket_init_contexts(void *cipher_ctx, void *mac_ctx, const unsigned char *aes_key,
                            const unsigned char *hmac_key, const unsigned char *iv, int enc);
/* Peer certificate subject (RFC 2253) of a verified client certificate into buf; returns its length or 0. */
int pc_SSL_verified_peer_subject(const struct ssl_st *s, char *buf, int size);

#endif
