// LeakSanitizer suppressions built into this test binary (LSan calls this hook when it
// starts; without sanitizers the function is simply unused).
//
// fontconfig keeps many of its internal pointers as encoded offsets (FcCharSet leaves,
// value lists: see fcint.h, FcEncodedOffsetToPtr), which LeakSanitizer cannot follow, so
// the patterns of a live FcConfig are reported as leaked; and loading the default
// configuration (which Pango does once per process) leaks a few bytes of parsed XML.
// Neither is Warraq's. The suppression matches any leak with a fontconfig frame, so it
// would also hide an FcConfig the EPUB stage forgot to release: engine/epub/cover.cpp's
// handling of its configuration and Pango font map was checked without it (a font map
// finalised without pango_fc_font_map_set_config(map, nullptr) leaks its font list in
// Pango 1.50).
extern "C" const char* __lsan_default_suppressions();
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
