//! Results as Arrow record batches, exported through the Arrow PyCapsule interface
//! (`__arrow_c_stream__`), so pyarrow, polars and pandas read the columns without one Python
//! object per row.

use std::sync::Arc;

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{
    ArrayRef, BooleanArray, Int64Array, Int8Array, RecordBatch, RecordBatchIterator, StringArray,
    TimestampMillisecondArray, UInt32Array, UInt64Array,
};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef, TimeUnit};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

use webcare::{Source, WebcareResult};

/// The columns of a results table, in order, plus one string column per requested extra field.
pub fn schema_with(extra: &[String]) -> SchemaRef {
    let base = schema();
    let mut fields: Vec<Field> = base.fields().iter().map(|f| f.as_ref().clone()).collect();
    for name in extra {
        fields.push(Field::new(name, DataType::Utf8, true));
    }
    Arc::new(Schema::new(fields))
}

/// The standard columns of a results table, in order.
pub fn schema() -> SchemaRef {
    let s = |n: &str| Field::new(n, DataType::Utf8, true);
    let b = |n: &str| Field::new(n, DataType::Boolean, false);
    Arc::new(Schema::new(vec![
        Field::new("unique_id", DataType::UInt64, false),
        Field::new(
            "time",
            DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
            true,
        ),
        Field::new("source", DataType::Int64, false),
        s("source_name"),
        Field::new("type", DataType::Int64, false),
        Field::new("status", DataType::Int64, false),
        Field::new("sentiment", DataType::Int8, false),
        Field::new("sentiment_label", DataType::Utf8, false),
        b("private"),
        b("own"),
        b("checked"),
        b("bookmarked"),
        s("title"),
        s("subtitle"),
        s("description"),
        s("case_id"),
        s("person_id"),
        s("profile_id"),
        Field::new("search_id", DataType::UInt64, true),
        s("link"),
        b("reply_available"),
        b("like_available"),
        Field::new("default_connection", DataType::UInt64, true),
        Field::new("tbrank", DataType::Int64, true),
        Field::new(
            "tags",
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            false,
        ),
        Field::new("reply_count", DataType::UInt32, false),
    ]))
}

fn strings<'a>(
    rs: &'a [WebcareResult],
    f: impl Fn(&'a WebcareResult) -> Option<&'a str>,
) -> ArrayRef {
    Arc::new(rs.iter().map(f).collect::<StringArray>())
}

fn bools(rs: &[WebcareResult], f: impl Fn(&WebcareResult) -> bool) -> ArrayRef {
    Arc::new(BooleanArray::from(rs.iter().map(f).collect::<Vec<bool>>()))
}

fn extra_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// One record batch for these results, with string columns for the named extra fields (JSON
/// text for values that are not strings; null when missing).
pub fn batch_with(rs: &[WebcareResult], extra: &[String]) -> Result<RecordBatch, ArrowError> {
    let base = batch(rs)?;
    if extra.is_empty() {
        return Ok(base);
    }
    let mut columns: Vec<ArrayRef> = base.columns().to_vec();
    for name in extra {
        let col: StringArray = rs
            .iter()
            .map(|r| r.extra.get(name).and_then(extra_text))
            .collect();
        columns.push(Arc::new(col));
    }
    RecordBatch::try_new(schema_with(extra), columns)
}

/// One record batch for these results.
pub fn batch(rs: &[WebcareResult]) -> Result<RecordBatch, ArrowError> {
    let mut tags = ListBuilder::new(StringBuilder::new());
    for r in rs {
        for t in &r.tags_list {
            tags.values().append_value(&t.name);
        }
        tags.append(true);
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(UInt64Array::from_iter_values(
            rs.iter().map(|r| r.unique_id),
        )),
        Arc::new(
            TimestampMillisecondArray::from(
                rs.iter().map(|r| r.timestamp_ms()).collect::<Vec<_>>(),
            )
            .with_timezone("UTC"),
        ),
        Arc::new(Int64Array::from_iter_values(rs.iter().map(|r| r.source))),
        strings(rs, |r| Source::from_id(r.source).map(|s| s.as_str())),
        Arc::new(Int64Array::from_iter_values(
            rs.iter().map(|r| r.result_type),
        )),
        Arc::new(Int64Array::from_iter_values(rs.iter().map(|r| r.status))),
        Arc::new(Int8Array::from_iter_values(
            rs.iter().map(|r| r.sentiment_class().value()),
        )),
        Arc::new(StringArray::from_iter_values(
            rs.iter().map(|r| r.sentiment_class().as_str()),
        )),
        bools(rs, |r| r.private),
        bools(rs, |r| r.own),
        bools(rs, |r| r.checked),
        bools(rs, |r| r.bookmarked),
        strings(rs, |r| r.title.as_deref()),
        strings(rs, |r| r.subtitle.as_deref()),
        strings(rs, |r| r.description.as_deref()),
        strings(rs, |r| r.case_id.as_deref()),
        strings(rs, |r| r.person_id.as_deref()),
        strings(rs, |r| r.profile_id.as_deref()),
        Arc::new(rs.iter().map(|r| r.search_id).collect::<UInt64Array>()),
        strings(rs, |r| r.link.as_deref()),
        bools(rs, |r| r.reply_available),
        bools(rs, |r| r.like_available),
        Arc::new(
            rs.iter()
                .map(|r| r.default_connection)
                .collect::<UInt64Array>(),
        ),
        Arc::new(rs.iter().map(|r| r.tbrank).collect::<Int64Array>()),
        Arc::new(tags.finish()),
        Arc::new(UInt32Array::from_iter_values(
            rs.iter()
                .map(|r| u32::try_from(r.replies.len()).unwrap_or(u32::MAX)),
        )),
    ];
    RecordBatch::try_new(schema(), columns)
}

/// Results as Arrow data: pass it to `pyarrow.table(...)`, `polars.DataFrame(...)` or any
/// reader of the Arrow PyCapsule interface. Can be exported any number of times.
#[pyclass(name = "ArrowResults", module = "webcare", frozen)]
pub struct ArrowResults {
    pub batches: Arc<Vec<RecordBatch>>,
    pub schema: SchemaRef,
}

impl ArrowResults {
    pub fn from_batches(batches: Vec<RecordBatch>) -> Self {
        Self::with_schema(batches, schema())
    }

    pub fn with_schema(batches: Vec<RecordBatch>, schema: SchemaRef) -> Self {
        ArrowResults {
            batches: Arc::new(batches),
            schema,
        }
    }

    pub fn from_results(rs: &[WebcareResult]) -> Self {
        // A batch of these arrays cannot fail (the schema is built with them); keep it total.
        match batch(rs) {
            Ok(b) => Self::from_batches(vec![b]),
            Err(_) => Self::from_batches(Vec::new()),
        }
    }
}

#[pymethods]
impl ArrowResults {
    /// The Arrow C stream of the record batches (PyCapsule `arrow_array_stream`).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema; // The schema is fixed; consumers may cast.
        let batches: Vec<RecordBatch> = self.batches.as_ref().clone();
        let reader = RecordBatchIterator::new(batches.into_iter().map(Ok), self.schema.clone());
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
    }

    /// The Arrow C schema (PyCapsule `arrow_schema`).
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        let ffi = arrow_schema::ffi::FFI_ArrowSchema::try_from(self.schema.as_ref())
            .map_err(|e| PyValueError::new_err(format!("arrow schema: {e}")))?;
        PyCapsule::new_with_value(py, ffi, c"arrow_schema")
    }

    /// One `ArrowResults` with the batches of all of these, in order.
    #[staticmethod]
    /// Every part must have the same columns (an empty list gives the standard columns).
    fn concat(parts: Vec<PyRef<'_, ArrowResults>>) -> PyResult<ArrowResults> {
        let schema = parts.first().map_or_else(schema, |p| p.schema.clone());
        let mut batches = Vec::new();
        for p in &parts {
            if p.schema != schema {
                return Err(PyValueError::new_err("the parts have different columns"));
            }
            batches.extend(p.batches.iter().cloned());
        }
        Ok(ArrowResults::with_schema(batches, schema))
    }

    /// The number of rows.
    #[getter]
    fn num_rows(&self) -> usize {
        self.batches.iter().map(|b| b.num_rows()).sum()
    }

    /// The number of record batches (one per page).
    #[getter]
    fn num_batches(&self) -> usize {
        self.batches.len()
    }

    /// The standard column names.
    #[staticmethod]
    fn column_names() -> Vec<String> {
        schema().fields().iter().map(|f| f.name().clone()).collect()
    }

    /// The column names of this data (standard columns, then requested extra fields).
    #[getter]
    fn columns(&self) -> Vec<String> {
        self.schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    fn __len__(&self) -> usize {
        self.num_rows()
    }

    fn __repr__(&self) -> String {
        format!(
            "ArrowResults(num_rows={}, num_batches={})",
            self.num_rows(),
            self.num_batches()
        )
    }
}
