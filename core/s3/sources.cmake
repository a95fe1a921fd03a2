target_sources(moltdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/SigV4.cpp ${CMAKE_CURRENT_LIST_DIR}/SigV4.h
    ${CMAKE_CURRENT_LIST_DIR}/S3Xml.cpp ${CMAKE_CURRENT_LIST_DIR}/S3Xml.h
    ${CMAKE_CURRENT_LIST_DIR}/S3Config.h
    ${CMAKE_CURRENT_LIST_DIR}/S3Transport.cpp ${CMAKE_CURRENT_LIST_DIR}/S3Transport.h
    ${CMAKE_CURRENT_LIST_DIR}/S3Storage.cpp ${CMAKE_CURRENT_LIST_DIR}/S3Storage.h)
target_include_directories(moltdesk_core PUBLIC ${CMAKE_CURRENT_LIST_DIR})
