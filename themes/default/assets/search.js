// Starts Pagefind's search interface on the search page; the bundle is served by the site itself.
window.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("search");
  if (box && window.PagefindUI) {
    new PagefindUI({ element: "#search", showSubResults: true, showImages: false, resetStyles: false });
  }
});
