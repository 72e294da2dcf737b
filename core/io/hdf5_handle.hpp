#pragma once
// Thin RAII over the HDF5 C API: each handle closes itself, and every failing call becomes an
// io Error naming the file and the object, instead of HDF5's own stderr dump.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <hdf5.h>

namespace spikegraph::hdf5 {

class Handle {
public:
    using Closer = herr_t (*)(hid_t);
    Handle() = default;
    Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    Handle(Handle&& other) noexcept : id_(other.id_), closer_(other.closer_) { other.id_ = -1; }
    Handle& operator=(Handle&& other) noexcept;
    ~Handle();
    hid_t get() const { return id_; }
    bool valid() const { return id_ >= 0; }

private:
    hid_t id_ = -1;
    Closer closer_ = nullptr;
};

class File {
public:
    // append: open an existing HDF5 file for writing, or create a new one; a file that exists but
    // is not HDF5 is refused. truncate: create or replace. read: an existing file, read-only.
    enum class Mode { truncate, append, read };
    File(const std::string& path, Mode mode);
    const std::string& path() const { return path_; }
    hid_t id() const { return file_.get(); }
    void flush() const;

    // Groups and data below a parent (the file or a group).
    Handle create_group(hid_t parent, std::string_view name) const;
    bool exists(hid_t parent, std::string_view name) const;
    void remove(hid_t parent, std::string_view name) const;
    void move(hid_t parent, std::string_view from, std::string_view to) const;
    std::uint64_t members(hid_t group) const; // links directly below a group
    std::vector<std::string> children(hid_t group) const; // their names, in name order
    Handle open_group(hid_t parent, std::string_view name) const;
    // Copies `name` below `from_parent` of another file (with everything under it) to `to_name`.
    void copy_from(const File& from, hid_t from_parent, std::string_view name, hid_t to_parent,
                   std::string_view to_name) const;

    bool has_attribute(hid_t object, std::string_view name) const;
    std::string string_attribute(hid_t object, std::string_view name) const; // "" if not a string
    std::int64_t int_attribute(hid_t object, std::string_view name) const;

    void write(hid_t parent, std::string_view name, const std::vector<double>& data,
               const std::vector<hsize_t>& shape) const;
    void write(hid_t parent, std::string_view name, const std::vector<std::uint32_t>& data) const;

    // Reading: a dataset's shape, and its values converted to the requested type. A damaged
    // dataset or one of an unexpected shape is an io error naming it.
    std::vector<hsize_t> shape(hid_t parent, std::string_view name) const;
    std::vector<double> read_doubles(hid_t parent, std::string_view name) const;
    std::vector<std::uint32_t> read_uint32(hid_t parent, std::string_view name) const;
    double double_attribute(hid_t object, std::string_view name) const;

    void attribute(hid_t object, std::string_view name, double value) const;
    void attribute(hid_t object, std::string_view name, std::int64_t value) const;
    void attribute(hid_t object, std::string_view name, std::uint64_t value) const;
    void attribute(hid_t object, std::string_view name, std::string_view value) const;

private:
    [[noreturn]] void fail(std::string_view what) const;
    template <class T>
    std::vector<T> read_raw(hid_t parent, std::string_view name, hid_t type) const;
    template <class T>
    void write_raw(hid_t parent, std::string_view name, const T* data, hid_t type,
                   const std::vector<hsize_t>& shape) const;
    void put_attribute(hid_t object, std::string_view name, hid_t type, const void* value) const;

    std::string path_;
    Handle file_;
};

} // namespace spikegraph::hdf5
