# metergen_add_model(TARGET <name> SPEC <spec.yaml> [OUTPUT_DIR <dir>] [NO_ACTIVE_MODEL]
#                    [ALLOW_DIRS <dir>...])
#
# ALLOW_DIRS: folders besides the spec's own that it may import or extend from
# (metergen --allow-dir); metergen's own specs/ (the catalog) is always one.
#
# NO_ACTIVE_MODEL: define only metergen::models::<id>::model, not
# metergen::tables::active_model, so that one program can link several models.
#
# Generates the model's tables at build time into the build tree and builds them
# as a static library <name> (linking the runtime seam). The generation depends on
# the spec, everything it imports or extends (through a depfile), the generator
# itself (whose templates are compiled in).
get_filename_component(METERGEN_SPECS_DIR "${CMAKE_CURRENT_LIST_DIR}/../specs" ABSOLUTE)

function(metergen_add_model)
  cmake_parse_arguments(MG "NO_ACTIVE_MODEL" "TARGET;SPEC;OUTPUT_DIR" "ALLOW_DIRS" ${ARGN})
  if(NOT MG_TARGET OR NOT MG_SPEC)
    message(FATAL_ERROR "metergen_add_model: TARGET and SPEC are required")
  endif()
  get_filename_component(spec "${MG_SPEC}" ABSOLUTE)
  if(NOT EXISTS "${spec}")
    message(FATAL_ERROR "metergen_add_model: spec ${MG_SPEC} does not exist")
  endif()
  if(NOT MG_OUTPUT_DIR)
    set(MG_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/${MG_TARGET}_generated")
  endif()
  # The model id decides the folder name; read it from the spec's model.id line.
  file(STRINGS "${spec}" id_line REGEX "^  id: ")
  if(NOT id_line)
    message(FATAL_ERROR "metergen_add_model: ${MG_SPEC} has no model.id (variants must restate it)")
  endif()
  list(GET id_line 0 id_line)
  string(REGEX REPLACE "^  id: *([a-z0-9-]+).*$" "\\1" model_id "${id_line}")
  set(out "${MG_OUTPUT_DIR}/${model_id}")
  set(allow_args "")
  foreach(dir IN LISTS MG_ALLOW_DIRS ITEMS "${METERGEN_SPECS_DIR}")
    list(APPEND allow_args --allow-dir "${dir}")
  endforeach()
  add_custom_command(
    OUTPUT "${out}/model.cpp" "${out}/model.hpp" "${out}/object_list.json"
    COMMAND metergen generate -q "${spec}" -o "${MG_OUTPUT_DIR}" --depfile "${MG_OUTPUT_DIR}/${model_id}.d"
            ${allow_args}
    DEPENDS "${spec}" metergen
    DEPFILE "${MG_OUTPUT_DIR}/${model_id}.d"
    COMMENT "metergen: generating model ${model_id}"
    VERBATIM)
  add_library(${MG_TARGET} STATIC "${out}/model.cpp")
  target_include_directories(${MG_TARGET} PUBLIC "${MG_OUTPUT_DIR}")
  target_link_libraries(${MG_TARGET} PUBLIC metergen_runtime)
  if(MG_NO_ACTIVE_MODEL)
    target_compile_definitions(${MG_TARGET} PRIVATE METERGEN_NO_ACTIVE_MODEL)
  endif()
  set_target_properties(${MG_TARGET} PROPERTIES METERGEN_MODEL_ID "${model_id}")
endfunction()
