/* Files served as they are, linked into the binary so kesu is one file. */
    .section .rodata
    .global kesu_openapi_json
    .global kesu_openapi_json_end
    .balign 16
kesu_openapi_json:
    .incbin "docs/openapi.json"
kesu_openapi_json_end:
    .byte 0
    .section .note.GNU-stack,"",@progbits
