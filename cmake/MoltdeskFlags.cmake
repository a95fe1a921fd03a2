# One INTERFACE target carries the project's compile rules, so every target gets the same ones.
add_library(moltdesk_flags INTERFACE)
target_compile_definitions(moltdesk_flags INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_CONTEXTLESS_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_NO_FOREACH
    QT_DISABLE_DEPRECATED_BEFORE=0x060400)
target_compile_options(moltdesk_flags INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Woverloaded-virtual -Wcast-align -Wformat=2)
if(MOLTDESK_FUZZ)
    # Instrument the core too, so libFuzzer's coverage guidance reaches into the parsers.
    target_compile_options(moltdesk_flags INTERFACE -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
    target_link_options(moltdesk_flags INTERFACE -fsanitize=address,undefined)
endif()
if(MOLTDESK_SANITIZE)
    target_compile_options(moltdesk_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
        -fno-sanitize-recover=undefined)
    target_link_options(moltdesk_flags INTERFACE -fsanitize=address,undefined)
endif()

# moltdesk_add_test(NAME name SOURCES ... LIBS ... [LABELS ...] [FIXTURES ...] [ENV ...] [WRAPPER cmd...])
# WRAPPER runs the test through a command (e.g. tests/support/with-keyring.sh for a real keychain).
# One QtTest executable per unit, each registered with CTest.
function(moltdesk_add_test)
    cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS;FIXTURES;ENV;WRAPPER" ${ARGN})
    add_executable(${T_NAME} ${T_SOURCES})
    target_link_libraries(${T_NAME} PRIVATE Qt6::Test moltdesk_flags ${T_LIBS})
    target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support ${PROJECT_SOURCE_DIR}/tests/common)
    add_test(NAME ${T_NAME} COMMAND ${T_WRAPPER} $<TARGET_FILE:${T_NAME}>)
    set(env "QT_QPA_PLATFORM=offscreen" "MOLTDESK_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
            "MOLTDESK_BINARY_DIR=${PROJECT_BINARY_DIR}"
            "MOLTDESK_S3_SERVER_JSON=${PROJECT_BINARY_DIR}/s3server/server.json"
            "MOLTDESK_FAULT_PROXY_JSON=${PROJECT_BINARY_DIR}/s3server/faultproxy.json"
            "MOLTDESK_KEYCHAIN_MODULE_DIR=${MOLTDESK_KEYCHAIN_MODULE_BUILD_DIR}")
    # A test given a longer CTest TIMEOUT may spend it in one function too: QtTest's own watchdog (300 s
    # per function) otherwise aborts an integration test whose server is slow under load (seen in the
    # bucket clean-ups of tst_engine_s3 and tst_reliability_s3 at load 14). The test's ENV may still set it.
    if(T_TIMEOUT)
        math(EXPR function_timeout_ms "${T_TIMEOUT} * 1000")
        list(APPEND env "QTEST_FUNCTION_TIMEOUT=${function_timeout_ms}")
    endif()
    list(APPEND env ${T_ENV})
    set_tests_properties(${T_NAME} PROPERTIES ENVIRONMENT "${env}")
    if(T_LABELS)
        set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}")
    endif()
    if(T_FIXTURES)
        set_tests_properties(${T_NAME} PROPERTIES FIXTURES_REQUIRED "${T_FIXTURES}")
    endif()
    if(T_TIMEOUT)
        set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT})
    else()
        set_tests_properties(${T_NAME} PROPERTIES TIMEOUT 300)
    endif()
endfunction()
# Full RELRO and immediate binding for what ships, as Debian's hardening flags give (lintian's
# hardening-no-bindnow); a link option only, so it costs no recompilation.
if(NOT MOLTDESK_FUZZ AND NOT MOLTDESK_SANITIZE)
    target_link_options(moltdesk_flags INTERFACE -Wl,-z,relro -Wl,-z,now)
endif()
