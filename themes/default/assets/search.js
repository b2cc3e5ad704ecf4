// Starts Pagefind's search interface on the search page; the bundle is served by the site itself.
window.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("search");
  if (box && window.PagefindUI) {
    new PagefindUI({ element: "#search", showSubResults: true, showImages: false, resetStyles: false });
    // Pagefind's input has only a title; a label of its own lets every screen reader name it.
    var input = box.querySelector("input");
    if (input && !input.getAttribute("aria-label")) {
      input.setAttribute("aria-label", box.getAttribute("data-label") || "Search");
    }
  }
});
