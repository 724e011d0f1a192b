/* The post editor in the admin, under the strict CSP (no inline script or style).
 *
 * Loaded as a classic script before the editor's modules run, it
 *  - puts an empty <style data-tiptap-style> in the head, so the editor finds its style tag
 *    and injects none (the policy would refuse it); post-editor.css holds those rules;
 *  - speaks Vietnamese: the editor asks window.gettext for its dialogs, and its menu
 *    titles and block names are translated as they appear;
 *  - inserts a photo of the post into the body where the cursor is.
 */
(function () {
  "use strict";

  const marker = document.createElement("style");
  marker.setAttribute("data-tiptap-style", "");
  document.head.appendChild(marker);

  const VI = {
    // Dialogs (asked through gettext).
    "Add caption": "Thêm chú thích",
    "Alternative Text": "Mô tả ảnh cho người khiếm thị",
    "Browse...": "Chọn…",
    "Bullets": "Dấu đầu dòng",
    "Cancel": "Hủy",
    "Caption": "Chú thích",
    "Columns": "Số cột",
    "Decimal numbers": "Số 1, 2, 3",
    "Edit Figure": "Sửa ảnh",
    "Edit HTML": "Sửa mã HTML",
    "Edit Image": "Sửa ảnh",
    "Edit Link": "Sửa liên kết",
    "Image URL": "Địa chỉ ảnh",
    "Include header row": "Có hàng tiêu đề",
    "Insert Figure": "Chèn ảnh",
    "Insert Table": "Chèn bảng",
    "Insert": "Chèn",
    "List properties": "Kiểu danh sách",
    "List type": "Kiểu đánh số",
    "Lowercase Roman numerals": "Số La Mã thường (i, ii, iii)",
    "Lowercase letters": "Chữ thường (a, b, c)",
    "Open in new window": "Mở trong cửa sổ mới",
    "Prettify": "Sắp xếp lại mã",
    "Remove caption": "Bỏ chú thích",
    "Rows": "Số hàng",
    "Start at": "Bắt đầu từ",
    "Table Properties": "Thuộc tính bảng",
    "The HTML contents of the editor. Note that the allowed HTML is restricted by the editor schema.":
      "Mã HTML của nội dung. Chỉ những thẻ trình soạn thảo cho phép được giữ lại.",
    "Title": "Tiêu đề",
    "Toggle fullscreen": "Bật/tắt toàn màn hình",
    "URL": "Địa chỉ",
    "Update": "Cập nhật",
    "Uppercase Roman numerals": "Số La Mã hoa (I, II, III)",
    "Uppercase letters": "Chữ hoa (A, B, C)",
    // Menu button titles and block names (written into the page in English).
    "bold": "Chữ đậm",
    "italic": "Chữ nghiêng",
    "underline": "Gạch chân",
    "strike": "Gạch ngang",
    "subscript": "Chỉ số dưới",
    "superscript": "Chỉ số trên",
    "unordered list": "Danh sách gạch đầu dòng",
    "ordered list": "Danh sách đánh số",
    "blockquote": "Trích dẫn",
    "horizontal rule": "Đường kẻ ngang",
    "insert link": "Chèn liên kết",
    "remove link": "Bỏ liên kết",
    "undo": "Hoàn tác",
    "redo": "Làm lại",
    "paragraph": "Đoạn văn",
    "Paragraph": "Đoạn văn",
    "figure": "Ảnh có chú thích",
    "edit HTML": "Sửa mã HTML",
    "Heading 1": "Tiêu đề cấp 1",
    "Heading 2": "Tiêu đề mục",
    "Heading 3": "Tiêu đề mục nhỏ",
    "Heading 4": "Tiêu đề cấp 4",
    "Styles": "Kiểu chữ",
    "Block style": "Kiểu đoạn",
  };

  const baseGettext = window.gettext;
  window.gettext = function (text) {
    return VI[text] || (baseGettext ? baseGettext(text) : text);
  };

  function translate(root) {
    const elements = root.querySelectorAll
      ? [root, ...root.querySelectorAll("*")]
      : [];
    for (const element of elements) {
      for (const attribute of ["title", "aria-label"]) {
        const value = element.getAttribute && element.getAttribute(attribute);
        if (value && VI[value]) element.setAttribute(attribute, VI[value]);
      }
      // An icon button's text is the icon's name in the icon font: never translated.
      if (element.classList && element.classList.contains("material-icons")) continue;
      const only = element.childNodes && element.childNodes.length === 1 && element.firstChild;
      if (only && only.nodeType === Node.TEXT_NODE && VI[only.nodeValue]) {
        only.nodeValue = VI[only.nodeValue];
      }
    }
  }

  function watch() {
    new MutationObserver(function (records) {
      for (const record of records) {
        if (record.type === "attributes") translate(record.target);
        for (const node of record.addedNodes) {
          if (node.nodeType === Node.ELEMENT_NODE) translate(node);
        }
      }
    }).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["title", "aria-label"],
    });
    document.querySelectorAll(".prose-editor").forEach(translate);
  }

  let bodyEditor = null;
  document.addEventListener("prose-editor:ready", function (event) {
    if (event.detail.textarea.name === "body") bodyEditor = event.detail.editor;
    translate(event.detail.textarea.closest(".prose-editor") || document.body);
  });

  function insertPhoto(button) {
    if (!bodyEditor) return;
    const data = button.dataset;
    const image = { type: "image", attrs: { src: data.src, alt: data.alt, file: data.file } };
    const caption = button.dataset.caption;
    const content = caption
      ? [image, { type: "caption", content: [{ type: "text", text: caption }] }]
      : [image];
    bodyEditor.chain().focus().insertContent({ type: "figure", content: content }).run();
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-insert-photo]");
    if (button) {
      event.preventDefault();
      insertPhoto(button);
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();
