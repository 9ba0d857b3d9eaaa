use super::*;
use serde_json::json;

fn document() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": { "title": "t", "version": "1.2.3", "description": "第一段\n\n第二段" },
        "tags": [{ "name": "jobs", "description": "采购项目:发布" }],
        "paths": {
            "/api/jobs/{id}/bids": {
                "get": {
                    "tags": ["jobs"], "summary": "报价列表",
                    "parameters": [{ "name": "id", "in": "path", "required": true,
                                     "schema": { "type": "integer", "format": "int64" } }],
                    "responses": {
                        "200": { "description": "成功", "content": { "application/json": {
                            "schema": { "type": "array", "items": { "$ref": "#/components/schemas/BidView" } } } } },
                        "default": { "$ref": "#/components/responses/Error" }
                    },
                    "security": [{}, { "session": [] }]
                },
                "post": {
                    "tags": ["jobs"], "summary": "提交报价",
                    "parameters": [{ "$ref": "#/components/parameters/CsrfHeader" }],
                    "requestBody": { "content": { "application/json": {
                        "schema": { "$ref": "#/components/schemas/BidRequest" } } } },
                    "responses": {},
                    "security": [{ "session": [] }]
                }
            }
        },
        "components": {
            "schemas": {
                "BidView": { "type": "object", "required": ["price"], "properties": {
                    "price": { "$ref": "#/components/schemas/Money" },
                    "note": { "type": ["string", "null"] },
                    "contract": { "oneOf": [{ "type": "null" }, { "$ref": "#/components/schemas/Contract" }] }
                } },
                "Model": { "oneOf": [
                    { "type": "object", "properties": { "kind": { "type": "string", "enum": ["fixed"] },
                                                          "price": { "type": "integer" } } }
                ] },
                "State": { "type": "string", "enum": ["draft", "published"] }
            },
            "parameters": { "CsrfHeader": { "name": "x-requested-with", "in": "header", "required": true,
                                            "schema": { "type": "string" } } },
            "responses": { "Error": { "description": "请求被拒绝", "content": { "application/json": {
                "schema": { "$ref": "#/components/schemas/ErrorBody" } } } } }
        }
    })
}

#[test]
fn operations_are_grouped_under_their_tag_with_access_and_types() {
    let reference = ApiReference::from_document(&document());
    assert_eq!(reference.version, "1.2.3");
    assert_eq!(reference.intro, vec!["第一段", "第二段"]);
    let group = &reference.groups[0];
    assert_eq!(group.operations.len(), 2);
    let list = &group.operations[0];
    assert_eq!(
        (list.method.as_str(), list.access),
        ("GET", Access::Optional)
    );
    assert_eq!(list.responses[0].ty.as_ref().unwrap().text, "BidView[]");
    assert_eq!(
        list.responses[0].ty.as_ref().unwrap().link.as_deref(),
        Some("BidView")
    );
    assert_eq!(list.responses[1].description, "请求被拒绝");
    let create = &group.operations[1];
    assert_eq!(create.access, Access::Session);
    assert_eq!(create.parameters[0].name, "x-requested-with");
    assert_eq!(create.body.as_ref().unwrap().text, "BidRequest");
}

#[test]
fn nullable_fields_read_with_a_question_mark() {
    let reference = ApiReference::from_document(&document());
    let view = &reference.schemas[0];
    let SchemaShape::Object { fields, .. } = &view.shape else {
        panic!("object expected");
    };
    let types: Vec<(&str, &str, bool)> = fields
        .iter()
        .map(|f| (f.name.as_str(), f.ty.text.as_str(), f.required))
        .collect();
    // serde_json keeps object keys sorted; the reference lists fields by name.
    assert_eq!(
        types,
        [
            ("contract", "Contract?", false),
            ("note", "string?", false),
            ("price", "Money", true)
        ]
    );
}

#[test]
fn tagged_variants_and_enums_are_shown_by_their_values() {
    let reference = ApiReference::from_document(&document());
    let SchemaShape::Variants(variants) = &reference.schemas[1].shape else {
        panic!("variants expected");
    };
    assert_eq!(variants[0].0, "kind = fixed");
    assert_eq!(
        reference.schemas[2].shape,
        SchemaShape::Enum(vec!["draft".into(), "published".into()])
    );
}
