/* Verifies scanned documents through the C API of mrtd-verify and prints
 * one JSON report per line, as the Rust `scan` CLI does with --format json.
 *
 *   verify [--reference-date YYYY-MM-DD] IMAGE...
 *
 * For IMAGE `NAME.EXT`, the companions `NAME-ir.png` and `NAME-uv.png` are
 * passed too when they exist. Exit status: 0 when every document passed,
 * 1 when some did not, 2 on a usage or setup error.
 *
 * Build (after `cargo build --release -p mrtd-verify-capi`):
 *   cc -O2 -Icapi/include capi/examples/verify.c \
 *      target/release/libmrtd_verify_c.a -lm -lpthread -ldl -Wl,-z,noexecstack -o verify
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrtd_verify.h"

/* The whole file in a malloc'd buffer; NULL (and *len 0) if it cannot be
 * read. */
static unsigned char *read_file(const char *path, size_t *len) {
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        unsigned char *bigger = realloc(buf, cap * 2);
        if (!bigger) { free(buf); buf = NULL; break; }
        buf = bigger;
        cap *= 2;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) { free(buf); return NULL; }
    *len = n;
    return buf;
}

/* `NAME-<band>.png` for `NAME.EXT`, malloc'd. */
static char *companion(const char *path, const char *band) {
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    size_t stem = (dot && (!slash || dot > slash)) ? (size_t)(dot - path) : strlen(path);
    char *out = malloc(stem + strlen(band) + 6);
    if (!out) return NULL;
    memcpy(out, path, stem);
    sprintf(out + stem, "-%s.png", band);
    return out;
}

int main(int argc, char **argv) {
    const char *reference = NULL;
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "--reference-date") == 0) {
        reference = argv[2];
        first = 3;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: %s [--reference-date YYYY-MM-DD] IMAGE...\n", argv[0]);
        return 2;
    }
    char config[96] = "{}";
    if (reference) snprintf(config, sizeof config, "{\"reference_date\": \"%s\"}", reference);

    MrtdVerifier *verifier = NULL;
    char *error = NULL;
    if (mrtd_verifier_new(config, &verifier, &error) != MRTD_STATUS_OK) {
        fprintf(stderr, "verify: %s\n", error ? error : "cannot create a verifier");
        mrtd_string_free(error);
        return 2;
    }
    int all_passed = 1;
    for (int i = first; i < argc; i++) {
        size_t len = 0, ir_len = 0, uv_len = 0;
        unsigned char *visible = read_file(argv[i], &len);
        if (!visible) {
            fprintf(stderr, "verify: cannot read %s\n", argv[i]);
            all_passed = 0;
            continue;
        }
        char *ir_path = companion(argv[i], "ir"), *uv_path = companion(argv[i], "uv");
        unsigned char *ir = ir_path ? read_file(ir_path, &ir_len) : NULL;
        unsigned char *uv = uv_path ? read_file(uv_path, &uv_len) : NULL;
        char *report = NULL;
        MrtdStatus status = mrtd_verify_image(verifier, argv[i], visible, len, ir, ir_len, uv, uv_len, &report, &error);
        if (status == MRTD_STATUS_OK) {
            printf("%s\n", report);
            if (!strstr(report, "\"verdict\":\"pass\"")) all_passed = 0;
            mrtd_string_free(report);
        } else {
            fprintf(stderr, "verify: %s: %s\n", argv[i], error ? error : "failed");
            mrtd_string_free(error);
            error = NULL;
            all_passed = 0;
        }
        free(visible); free(ir); free(uv); free(ir_path); free(uv_path);
    }
    mrtd_verifier_free(verifier);
    return all_passed ? 0 : 1;
}
