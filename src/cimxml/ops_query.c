/* ops_query.c - ExecQuery (WQL), answered as VALUE.OBJECTWITHPATH. */
#include "cimxml/ops.h"
#include "xmlcim/names.h"

bool cimxml_op_exec_query(cimxml_op *op)
{
    const char *language = NULL, *query = NULL;
    if (!cimxml_arg_text(op, "QueryLanguage", &language) || !cimxml_arg_text(op, "Query", &query))
        return false;
    if (cim_strcasecmp(language, "WQL") != 0) {
        cimxml_fault_set_cim(op->fault, CIM_ERR_QUERY_LANGUAGE_NOT_SUPPORTED,
                             "The query language \"%s\" is not supported; use WQL.", language);
        return false;
    }
    smsprov_instance_list list = {0};
    smsprov_error err = {0};
    if (smsprov_query(op->site, &op->call, language, query, &list, &err) != SMSPROV_OK)
        return cimxml_op_fail(op, &err);
    op->returns_value = true;
    const char *ns =
        op->call.namespace_path ? op->call.namespace_path : smsprov_site_namespace(op->site);
    for (size_t i = 0; i < list.count; i++)
        xmlcim_write_object_with_path(op->out, op->host, ns, list.items[i], NULL);
    smsprov_instance_list_clear(&list);
    return true;
}
