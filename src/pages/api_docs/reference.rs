//! The reference's model: the OpenAPI document read into operations by tag, their access,
//! parameters, responses and schemas.

use super::*;

/// A type as the reference shows it, linked to its schema when it has one.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeRef {
    pub text: String,
    pub link: Option<String>,
}

impl TypeRef {
    fn plain(text: impl Into<String>) -> TypeRef {
        TypeRef {
            text: text.into(),
            link: None,
        }
    }
}

/// Who may call an operation, from its `security` list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Public,
    /// Anonymous callers are served; a session shows more.
    Optional,
    Session,
    Token,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Public => "public",
            Access::Optional => "optional",
            Access::Session => "session",
            Access::Token => "token",
        }
    }

    pub(super) fn label(self, t: &Messages) -> &'static str {
        match self {
            Access::Public => t.api_docs_access_public,
            Access::Optional => t.api_docs_access_optional,
            Access::Session => t.api_docs_access_session,
            Access::Token => t.api_docs_access_token,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ResponseDoc {
    pub status: String,
    pub description: String,
    pub content_type: Option<String>,
    pub ty: Option<TypeRef>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OperationDoc {
    pub method: String,
    pub path: String,
    pub summary: String,
    pub access: Access,
    pub parameters: Vec<FieldDoc>,
    pub body: Option<TypeRef>,
    pub responses: Vec<ResponseDoc>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TagGroup {
    pub name: String,
    pub description: String,
    pub operations: Vec<OperationDoc>,
}

/// A schema property, or an operation's parameter (which also says where it goes).
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDoc {
    pub name: String,
    pub location: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SchemaShape {
    /// Fields, plus the schemas whose fields are merged in (serde `flatten`).
    Object {
        fields: Vec<FieldDoc>,
        includes: Vec<String>,
    },
    Enum(Vec<String>),
    /// A tagged union: each variant's label and fields.
    Variants(Vec<(String, Vec<FieldDoc>)>),
    Scalar(TypeRef),
}

#[derive(Clone, Debug, PartialEq)]
pub struct SchemaDoc {
    pub name: String,
    pub description: String,
    pub shape: SchemaShape,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ApiReference {
    pub version: String,
    pub intro: Vec<String>,
    pub groups: Vec<TagGroup>,
    pub schemas: Vec<SchemaDoc>,
}

pub(super) const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

pub(super) fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

pub(super) fn ref_name(reference: &str) -> String {
    reference.rsplit('/').next().unwrap_or(reference).to_owned()
}

/// Follows a local `$ref` once, for parameters and responses kept in `components`.
pub(super) fn resolve<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => document.pointer(pointer).unwrap_or(value),
        None => value,
    }
}

/// How a schema reads in one cell: `JobView`, `BidView[]`, `string (date)`, `Money?`.
pub fn type_of(schema: &Value) -> TypeRef {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = ref_name(reference);
        return TypeRef {
            text: name.clone(),
            link: Some(name),
        };
    }
    if let Some(choices) = schema["oneOf"].as_array() {
        let nullable = choices.iter().any(|c| c["type"] == "null");
        let parts: Vec<TypeRef> = choices
            .iter()
            .filter(|c| c["type"] != "null")
            .map(type_of)
            .collect();
        let joined = parts
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(" | ");
        let link = match parts.as_slice() {
            [only] => only.link.clone(),
            _ => None,
        };
        return TypeRef {
            text: if nullable {
                format!("{joined}?")
            } else {
                joined
            },
            link,
        };
    }
    let (kind, nullable) = match &schema["type"] {
        Value::String(kind) => (kind.clone(), false),
        Value::Array(kinds) => (
            kinds
                .iter()
                .filter_map(Value::as_str)
                .find(|k| *k != "null")
                .unwrap_or("null")
                .to_owned(),
            kinds.iter().any(|k| k == "null"),
        ),
        _ => ("any".to_owned(), false),
    };
    let mut shown = match kind.as_str() {
        "array" => {
            let item = type_of(&schema["items"]);
            TypeRef {
                text: format!("{}[]", item.text),
                link: item.link,
            }
        }
        "object" if schema["additionalProperties"].is_object() => {
            let value = type_of(&schema["additionalProperties"]);
            TypeRef {
                text: format!("map<string, {}>", value.text),
                link: value.link,
            }
        }
        _ => match schema["format"].as_str() {
            Some(format) if kind == "string" => TypeRef::plain(format!("string ({format})")),
            _ => TypeRef::plain(kind),
        },
    };
    if nullable {
        shown.text.push('?');
    }
    shown
}

pub(super) fn fields_of(schema: &Value) -> Vec<FieldDoc> {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    schema["properties"]
        .as_object()
        .map(|properties| {
            properties
                .iter()
                .map(|(name, property)| {
                    let mut description = text(&property["description"]);
                    if let Some(values) = property["enum"].as_array() {
                        let values: Vec<String> = values.iter().map(value_text).collect();
                        if !description.is_empty() {
                            description.push(' ');
                        }
                        description.push_str(&values.join(" | "));
                    }
                    FieldDoc {
                        name: name.clone(),
                        location: None,
                        ty: type_of(property),
                        required: required.contains(&name.as_str()),
                        description,
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub(super) fn shape_of(schema: &Value) -> SchemaShape {
    if let Some(values) = schema["enum"].as_array() {
        return SchemaShape::Enum(values.iter().map(value_text).collect());
    }
    if let Some(variants) = schema["oneOf"].as_array() {
        let labelled = variants
            .iter()
            .enumerate()
            .map(|(index, variant)| {
                if let Some(reference) = variant["$ref"].as_str() {
                    return (ref_name(reference), Vec::new());
                }
                // A serde-tagged variant names itself in its one-value tag property.
                let tag = variant["properties"]
                    .as_object()
                    .and_then(|props| {
                        props.iter().find_map(|(key, p)| {
                            p["enum"]
                                .as_array()
                                .filter(|v| v.len() == 1)
                                .map(|v| format!("{key} = {}", value_text(&v[0])))
                        })
                    })
                    .or_else(|| {
                        variant["enum"]
                            .as_array()
                            .map(|v| v.iter().map(value_text).collect::<Vec<_>>().join(" | "))
                    })
                    .unwrap_or_else(|| format!("#{}", index + 1));
                (tag, fields_of(variant))
            })
            .collect();
        return SchemaShape::Variants(labelled);
    }
    if let Some(parts) = schema["allOf"].as_array() {
        let mut fields = Vec::new();
        let mut includes = Vec::new();
        for part in parts {
            match part["$ref"].as_str() {
                Some(reference) => includes.push(ref_name(reference)),
                None => fields.extend(fields_of(part)),
            }
        }
        return SchemaShape::Object { fields, includes };
    }
    if schema["type"] == "object" || schema["properties"].is_object() {
        return SchemaShape::Object {
            fields: fields_of(schema),
            includes: Vec::new(),
        };
    }
    SchemaShape::Scalar(type_of(schema))
}

pub(super) fn access_of(operation: &Value) -> Access {
    let Some(options) = operation["security"].as_array() else {
        return Access::Public;
    };
    let anonymous = options
        .iter()
        .any(|o| o.as_object().is_some_and(|o| o.is_empty()));
    let token = options.iter().any(|o| o.get("integration_token").is_some());
    match (token, anonymous) {
        (true, _) => Access::Token,
        (false, true) => Access::Optional,
        (false, false) => Access::Session,
    }
}

pub(super) fn operation_of(
    document: &Value,
    method: &str,
    path: &str,
    operation: &Value,
) -> OperationDoc {
    let parameters = operation["parameters"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|p| resolve(document, p))
                .map(|p| FieldDoc {
                    name: text(&p["name"]),
                    location: Some(text(&p["in"])),
                    ty: type_of(&p["schema"]),
                    required: p["required"] == true,
                    description: text(&p["description"]),
                })
                .collect()
        })
        .unwrap_or_default();
    let body = operation["requestBody"]["content"]
        .as_object()
        .and_then(|content| content.values().next())
        .map(|media| type_of(&media["schema"]));
    let responses = operation["responses"]
        .as_object()
        .map(|all| {
            all.iter()
                .map(|(status, response)| {
                    let response = resolve(document, response);
                    let media = response["content"]
                        .as_object()
                        .and_then(|content| content.iter().next());
                    ResponseDoc {
                        status: status.clone(),
                        description: text(&response["description"]),
                        content_type: media.map(|(kind, _)| kind.clone()),
                        ty: media
                            .filter(|(_, m)| !m["schema"].is_null())
                            .map(|(_, m)| type_of(&m["schema"])),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    OperationDoc {
        method: method.to_uppercase(),
        path: path.to_owned(),
        summary: text(&operation["summary"]),
        access: access_of(operation),
        parameters,
        body,
        responses,
    }
}

impl ApiReference {
    /// Reads the parts of an OpenAPI 3.1 document the reference shows, in the document's order.
    pub fn from_document(document: &Value) -> ApiReference {
        let mut groups: Vec<TagGroup> = document["tags"]
            .as_array()
            .map(|tags| {
                tags.iter()
                    .map(|tag| TagGroup {
                        name: text(&tag["name"]),
                        description: text(&tag["description"]),
                        operations: Vec::new(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        if let Some(paths) = document["paths"].as_object() {
            for (path, item) in paths {
                for method in METHODS {
                    let Some(operation) = item.get(method) else {
                        continue;
                    };
                    let tag = operation["tags"][0].as_str().unwrap_or("other");
                    let index = match groups.iter().position(|g| g.name == tag) {
                        Some(index) => index,
                        None => {
                            groups.push(TagGroup {
                                name: tag.to_owned(),
                                description: tag.to_owned(),
                                operations: Vec::new(),
                            });
                            groups.len() - 1
                        }
                    };
                    groups[index]
                        .operations
                        .push(operation_of(document, method, path, operation));
                }
            }
        }
        groups.retain(|g| !g.operations.is_empty());
        let schemas = document["components"]["schemas"]
            .as_object()
            .map(|all| {
                all.iter()
                    .map(|(name, schema)| SchemaDoc {
                        name: name.clone(),
                        description: text(&schema["description"]),
                        shape: shape_of(schema),
                    })
                    .collect()
            })
            .unwrap_or_default();
        ApiReference {
            version: text(&document["info"]["version"]),
            intro: text(&document["info"]["description"])
                .split("\n\n")
                .filter(|p| !p.trim().is_empty())
                .map(str::to_owned)
                .collect(),
            groups,
            schemas,
        }
    }
}
