# `cmake --install`: the plugin, the tools, the shim (library, headers, CMake
# package, pkg-config file), MapguardConfirm.cmake and the docs; and the Debian
# package of all that (cpack, docs/install.md). Paths are relative to the prefix:
#   lib/mapguard/MapGuardTidyPlugin.so      clang-tidy --load=<this>
#   bin/mapguard, bin/mapguard-clangd       (LLVM 22 builds)
#   lib/libmapguard_shim.a, include/mapguard/
#   lib/cmake/mapguard/                     find_package(mapguard CONFIG)
#   lib/pkgconfig/mapguard-shim.pc
#   share/mapguard/cmake/MapguardConfirm.cmake, share/mapguard/docs/
# The shim's library stays in lib/ (not a multiarch libdir): `mapguard confirm`
# looks for it in <prefix>/lib next to <prefix>/bin.
include(CMakePackageConfigHelpers)

set(MAPGUARD_INSTALL_CMAKEDIR lib/cmake/mapguard)

install(TARGETS MapGuardTidyPlugin LIBRARY DESTINATION lib/mapguard)

# The shim, exported as mapguard::shim.
set_target_properties(mapguard_shim PROPERTIES EXPORT_NAME shim)
target_include_directories(mapguard_shim PUBLIC $<INSTALL_INTERFACE:include>)
install(TARGETS mapguard_shim EXPORT mapguardTargets ARCHIVE DESTINATION lib)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/lib/include/mapguard DESTINATION include)
install(EXPORT mapguardTargets NAMESPACE mapguard::
  FILE mapguardTargets.cmake DESTINATION ${MAPGUARD_INSTALL_CMAKEDIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/mapguardConfig.cmake.in
  ${PROJECT_BINARY_DIR}/mapguardConfig.cmake
  INSTALL_DESTINATION ${MAPGUARD_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/mapguardConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/mapguardConfig.cmake
  ${PROJECT_BINARY_DIR}/mapguardConfigVersion.cmake
  DESTINATION ${MAPGUARD_INSTALL_CMAKEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/cmake/MapguardConfirm.cmake
  DESTINATION share/mapguard/cmake)

# pkg-config; ${pcfiledir} keeps the file relocatable.
configure_file(${PROJECT_SOURCE_DIR}/cmake/mapguard-shim.pc.in
  ${PROJECT_BINARY_DIR}/mapguard-shim.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/mapguard-shim.pc DESTINATION lib/pkgconfig)

# The docs pages (the tools link to share/mapguard/docs/checks/).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION share/mapguard/docs
  FILES_MATCHING PATTERN "*.md"
  PATTERN "examples" EXCLUDE)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION share/mapguard/docs)

# --- Debian package (cpack -G DEB) -------------------------------------------
# mapguard_<version>_<arch>.deb, for the LLVM this tree was configured with.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mapguard)
set(CPACK_PACKAGE_VENDOR "mapguard")
set(CPACK_PACKAGE_CONTACT "mapguard maintainers <mapguard@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "clang-tidy checks for C++ map misuse (plugin for clang-tidy-${LLVM_VERSION_MAJOR}), scanner and runtime shim")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# The plugin runs only inside the clang-tidy of its own LLVM major.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "clang-tidy-${LLVM_VERSION_MAJOR}, libclang-cpp${LLVM_VERSION_MAJOR}")
# The rest (libLLVM, gRPC for mapguard-clangd, libc) from the binaries.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_GENERATOR "")
include(CPack)
