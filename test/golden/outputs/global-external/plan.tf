# serverless-lb: Terraform configuration for load balancer "global-lb" in project "demo-project".
# Secrets are not in this file: set the sensitive variables below from their files or environment.

terraform {
  required_providers {
    google = {
      source = "hashicorp/google"
    }
  }
}

variable "project" {
  description = "Google Cloud project that holds the load balancer"
  type        = string
  default     = "demo-project"
}

provider "google" {
  project = var.project
}

# external IP address of the load balancer
resource "google_compute_global_address" "global_lb_ip" {
  name         = "global-lb-ip"
  description  = "[serverless-lb:global-lb] external IP address of the load balancer"
  address_type = "EXTERNAL"
  ip_version   = "IPV4"
  labels       = {
    "serverless-lb" = "global-lb"
  }
}

# Google-managed certificate for the HTTPS proxy
resource "google_compute_managed_ssl_certificate" "global_lb_cert" {
  name        = "global-lb-cert"
  description = "[serverless-lb:global-lb] Google-managed certificate for the HTTPS proxy"

  managed {
    domains = ["www.example.com", "api.example.com"]
  }
}

# serverless NEG in europe-west1 for backend web: Cloud Run service web
resource "google_compute_region_network_endpoint_group" "global_lb_web_neg_europe_west1" {
  name                  = "global-lb-web-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:global-lb] serverless NEG in europe-west1 for backend web: Cloud Run service web"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "web"
  }
}

# serverless NEG in europe-west1 for backend api: Cloud Run service api
resource "google_compute_region_network_endpoint_group" "global_lb_api_neg_europe_west1" {
  name                  = "global-lb-api-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:global-lb] serverless NEG in europe-west1 for backend api: Cloud Run service api"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "api"
  }
}

# backend service for backend web
resource "google_compute_backend_service" "global_lb_web_bs" {
  name                  = "global-lb-web-bs"
  description           = "[serverless-lb:global-lb] backend service for backend web"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = false

  backend {
    group = google_compute_region_network_endpoint_group.global_lb_web_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# backend service for backend api
resource "google_compute_backend_service" "global_lb_api_bs" {
  name                  = "global-lb-api-bs"
  description           = "[serverless-lb:global-lb] backend service for backend api"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = false

  backend {
    group = google_compute_region_network_endpoint_group.global_lb_api_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# URL map: routes hosts and paths to the backend services
resource "google_compute_url_map" "global_lb_urlmap" {
  name            = "global-lb-urlmap"
  description     = "[serverless-lb:global-lb] URL map: routes hosts and paths to the backend services"
  default_service = google_compute_backend_service.global_lb_web_bs.id

  host_rule {
    hosts        = ["api.example.com"]
    path_matcher = "hosts-1"
  }

  path_matcher {
    name            = "hosts-1"
    default_service = google_compute_backend_service.global_lb_api_bs.id
  }
}

# URL map that redirects HTTP to HTTPS
resource "google_compute_url_map" "global_lb_redirect_urlmap" {
  name        = "global-lb-redirect-urlmap"
  description = "[serverless-lb:global-lb] URL map that redirects HTTP to HTTPS"

  default_url_redirect {
    https_redirect         = true
    redirect_response_code = "MOVED_PERMANENTLY_DEFAULT"
    strip_query            = false
  }
}

# HTTPS proxy: terminates TLS
resource "google_compute_target_https_proxy" "global_lb_https_proxy" {
  name             = "global-lb-https-proxy"
  description      = "[serverless-lb:global-lb] HTTPS proxy: terminates TLS"
  url_map          = google_compute_url_map.global_lb_urlmap.id
  ssl_certificates = [google_compute_managed_ssl_certificate.global_lb_cert.id]
}

# HTTP proxy that redirects to HTTPS
resource "google_compute_target_http_proxy" "global_lb_http_proxy" {
  name        = "global-lb-http-proxy"
  description = "[serverless-lb:global-lb] HTTP proxy that redirects to HTTPS"
  url_map     = google_compute_url_map.global_lb_redirect_urlmap.id
}

# HTTPS forwarding rule on port 443
resource "google_compute_global_forwarding_rule" "global_lb_https_fr" {
  name                  = "global-lb-https-fr"
  description           = "[serverless-lb:global-lb] HTTPS forwarding rule on port 443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "443"
  ip_address            = google_compute_global_address.global_lb_ip.id
  target                = google_compute_target_https_proxy.global_lb_https_proxy.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "global-lb"
  }
}

# HTTP (redirect) forwarding rule on port 80
resource "google_compute_global_forwarding_rule" "global_lb_http_fr" {
  name                  = "global-lb-http-fr"
  description           = "[serverless-lb:global-lb] HTTP (redirect) forwarding rule on port 80"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "80"
  ip_address            = google_compute_global_address.global_lb_ip.id
  target                = google_compute_target_http_proxy.global_lb_http_proxy.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "global-lb"
  }
}

# A record for www.example.com in zone example-com
resource "google_dns_record_set" "www_example_com_" {
  name         = "www.example.com."
  managed_zone = "example-com"
  type         = "A"
  ttl          = 300
  rrdatas      = [google_compute_global_address.global_lb_ip.address]
  depends_on   = [
    google_compute_global_forwarding_rule.global_lb_https_fr,
    google_compute_global_forwarding_rule.global_lb_http_fr,
  ]
}

# A record for api.example.com in zone example-com
resource "google_dns_record_set" "api_example_com_" {
  name         = "api.example.com."
  managed_zone = "example-com"
  type         = "A"
  ttl          = 300
  rrdatas      = [google_compute_global_address.global_lb_ip.address]
  depends_on   = [
    google_compute_global_forwarding_rule.global_lb_https_fr,
    google_compute_global_forwarding_rule.global_lb_http_fr,
  ]
}

# let allUsers invoke Cloud Run service web in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "web" {
  project    = var.project
  location   = "europe-west1"
  name       = "web"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [
    google_compute_global_forwarding_rule.global_lb_https_fr,
    google_compute_global_forwarding_rule.global_lb_http_fr,
  ]
}

# let allUsers invoke Cloud Run service api in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "api" {
  project    = var.project
  location   = "europe-west1"
  name       = "api"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [
    google_compute_global_forwarding_rule.global_lb_https_fr,
    google_compute_global_forwarding_rule.global_lb_http_fr,
  ]
}

# Cloud Run service web (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service web in europe-west1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update web --region=europe-west1 --ingress=internal-and-cloud-load-balancing --project=demo-project

# Cloud Run service api (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service api in europe-west1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update api --region=europe-west1 --ingress=internal-and-cloud-load-balancing --project=demo-project
